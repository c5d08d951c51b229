import type { ConductorConfig } from './schema.js';

/**
 * The conductor config a Lambda container runs with, read once at cold start.
 *
 * `serverless package` validates the config with the same schema (a bad one fails packaging) and
 * bakes the result, every default applied, into each bundle with CONDUCTOR_CONFIG_VALIDATED set: both
 * are esbuild `define`s (serverless/esbuild.config.cjs), so this branch is settled at build time and a
 * bundle only parses JSON. The schema then stays out of every bundle, and zod out of those that
 * validate nothing else: about 30–45 ms less per cold start. Run from source (tests, local tools),
 * the document in CONDUCTOR_CONFIG is validated here.
 */
export const conductorConfig: ConductorConfig = process.env.CONDUCTOR_CONFIG_VALIDATED
  ? (JSON.parse(process.env.CONDUCTOR_CONFIG ?? '') as ConductorConfig)
  : (await import('./load.js')).loadConductorConfig();
