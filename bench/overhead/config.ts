import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../test/support/serverless.js';

export const ENVIRONMENT = 'cgap-mastertest';

/**
 * conductor.yml's cgap-mastertest cut to one entrypoint and its service: a push then starts one
 * build instead of four. The path to the first write is the same; the ~15 calls after it that three
 * more builds would make are left out so that a thousand pushes fit in the run's time.
 */
export function overheadConfigDocument(configFile = join(PROJECT_ROOT, 'conductor.yml')): {
  environments: Record<string, unknown>;
} {
  const document = parse(readFileSync(configFile, 'utf8')) as {
    environments: Record<string, Record<string, unknown> | undefined>;
  };
  const model = document.environments[ENVIRONMENT];
  if (model === undefined) throw new Error(`${configFile} has no environment ${ENVIRONMENT}`);
  const services = model.services as Record<string, unknown>;
  const entrypoints = model.entrypoints as { name: string }[];
  return {
    environments: {
      [ENVIRONMENT]: {
        ...model,
        entrypoints: entrypoints.filter((entrypoint) => entrypoint.name === 'wsgi'),
        services: { wsgi: services.wsgi },
        deploymentTasks: {},
        queues: {},
        rollout: { order: 'services-first' },
      },
    },
  };
}
