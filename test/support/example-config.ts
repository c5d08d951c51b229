import { readConductorConfigFile } from '../../src/config/file.js';
import type { NamedEnvironment } from '../../src/domain/environment.js';

/** The example config (conductor.yml), as the Lambdas read it. */
export const exampleConfig = readConductorConfigFile('conductor.yml');

/** One of its environments, resolved as a route or event handler resolves it. */
export function exampleEnvironment(name = 'cgap-mastertest'): NamedEnvironment {
  const env = exampleConfig.environments[name];
  if (!env) throw new Error(`conductor.yml has no environment ${name}`);
  return { name, env };
}
