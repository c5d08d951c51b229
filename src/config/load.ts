import type { z } from 'zod';
import { conductorConfigSchema, type ConductorConfig } from './schema.js';

/** Thrown when the configuration is invalid; `problems` lists every one as `path: message`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid conductor configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/** Every issue of a zod error as `path: message`, in document order. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${dottedPath(issue.path)}: ${issue.message}`);
}

/** Validates a configuration document (already parsed from YAML or JSON). */
export function parseConductorConfig(document: unknown): ConductorConfig {
  const result = conductorConfigSchema.safeParse(document);
  if (!result.success) throw new ConfigError(describeIssues(result.error));
  return result.data;
}

/**
 * Reads the configuration the packaging step baked into the bundle (or, in tests and local
 * tools, the `CONDUCTOR_CONFIG` environment variable) and validates it.
 */
export function loadConductorConfig(json: string | undefined = process.env.CONDUCTOR_CONFIG): ConductorConfig {
  if (json === undefined || json.trim() === '') {
    throw new ConfigError(['(root): CONDUCTOR_CONFIG is not set; package with serverless or set it to the JSON config']);
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([`(root): CONDUCTOR_CONFIG is not valid JSON (${(error as Error).message})`]);
  }
  return parseConductorConfig(document);
}
