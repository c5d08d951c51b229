import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../test/support/serverless.js';

const MODEL = 'cgap-mastertest';

/** `f100-007`: the size of the run and the environment's number, so every run seeds its own resources. */
export function environmentName(size: number, index: number): string {
  return `f${size}-${String(index + 1).padStart(3, '0')}`;
}

/**
 * A config document of `size` environments, each a copy of conductor.yml's cgap-mastertest under its
 * own name: its own cluster, three services, queue-driven ingester, repository, CodeBuild project and
 * task roles. The deployment tasks keep cgap-mastertest's subnets and security groups, the only ids
 * the emulator's seeded network can have.
 */
export function fanoutConfigDocument(
  size: number,
  configFile = join(PROJECT_ROOT, 'conductor.yml'),
): { environments: Record<string, unknown> } {
  const document = parse(readFileSync(configFile, 'utf8')) as { environments: Record<string, unknown> };
  const modelEnvironment = document.environments[MODEL];
  if (modelEnvironment === undefined) throw new Error(`${configFile} has no environment ${MODEL}`);
  const model = JSON.stringify(modelEnvironment);
  const environments: Record<string, unknown> = {};
  for (let index = 0; index < size; index += 1) {
    const name = environmentName(size, index);
    environments[name] = JSON.parse(model.replaceAll(MODEL, name)) as unknown;
  }
  return { environments };
}
