import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConductorConfig } from './load.js';
import type { ConductorConfig } from './schema.js';

/**
 * Reads a YAML (or JSON) config file as written, unvalidated: serverless variables such as
 * `${cf:stack.Output}` stay plain strings, and names left to a `stack` stay missing.
 */
export function readConductorDocument(path: string): unknown {
  return parse(readFileSync(path, 'utf8'));
}

/** Reads and validates a config file that takes no names from a stack (or has them filled in). */
export function readConductorConfigFile(path: string): ConductorConfig {
  return parseConductorConfig(readConductorDocument(path));
}
