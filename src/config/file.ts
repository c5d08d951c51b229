import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConductorConfig } from './load.js';
import type { ConductorConfig } from './schema.js';

/**
 * Reads and validates a YAML (or JSON) config file as scripts and the CLI see it: serverless
 * variables such as `${cf:stack.Output}` are not resolved here and stay plain strings.
 */
export function readConductorConfigFile(path: string): ConductorConfig {
  return parseConductorConfig(parse(readFileSync(path, 'utf8')));
}
