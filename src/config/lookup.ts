import type { EnvironmentConfig } from './schema.js';

/**
 * A config record's own entry for a key that came from outside (a path, a body). A plain
 * `record[key]` would also find Object.prototype's members for keys such as `constructor`.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An environment resolved from the config once (per request or event), passed on with its name. */
export interface NamedEnvironment {
  name: string;
  env: EnvironmentConfig;
}
