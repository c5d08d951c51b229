import { ConfigError, describeIssues } from './errors.js';
import { conductorConfigSchema, type ConductorConfig } from './schema.js';

// Kept apart so that code which never validates a config document need not load the schema.
export { ConfigError, describeIssues } from './errors.js';

/** Validates a configuration document (already parsed from YAML or JSON). */
export function parseConductorConfig(document: unknown): ConductorConfig {
  const result = conductorConfigSchema.safeParse(document);
  if (!result.success) throw new ConfigError(describeIssues(result.error));
  return result.data;
}

/**
 * Reads the configuration in `CONDUCTOR_CONFIG` and validates it: what a handler does at cold start
 * when run from source (tests, local tools). Bundles carry it validated already: see cold-start.ts.
 */
export function loadConductorConfig(json: string | undefined = process.env.CONDUCTOR_CONFIG): ConductorConfig {
  if (json === undefined || json.trim() === '') {
    throw new ConfigError([
      '(root): CONDUCTOR_CONFIG is not set; package with serverless or set it to the JSON config',
    ]);
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([`(root): CONDUCTOR_CONFIG is not valid JSON (${(error as Error).message})`]);
  }
  return parseConductorConfig(document);
}
