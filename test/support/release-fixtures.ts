import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConductorConfig } from '../../src/config/load.js';
import { newRelease, type Release } from '../../src/domain/release.js';
import type { NamedEnvironment, Environment } from '../../src/domain/environment.js';

/** The project's own conductor.yml: CGAP-shaped environments (cgap-mastertest auto-deploys SHAs, cgap-prod rolls back). */
export const config = parseConductorConfig(
  parse(readFileSync(new URL('../../conductor.yml', import.meta.url), 'utf8')),
);

export function environment(name: string): Environment {
  const env = config.environments[name];
  if (!env) throw new Error(`conductor.yml has no environment ${name}`);
  return env;
}

const digestOf = (text: string) => `sha256:${Buffer.from(text).toString('hex').padEnd(64, '0').slice(0, 64)}`;

/** A release of `version` still building, created at `at`. */
export function buildingRelease(name: string, version: string, at: Date): Release {
  const entrypoints = environment(name).entrypoints;
  const imageTags = Object.fromEntries(
    entrypoints.map((entrypoint) => [entrypoint.name, `${version}${entrypoint.tagSuffix}`]),
  );
  return newRelease(
    { environment: name, version, sourceDigest: digestOf(`${name}/${version}`), imageTags, triggeredBy: 'test' },
    at,
  );
}

/** A release of `version` with every entrypoint built (an image digest each), created at `at`. */
export function builtRelease(name: string, version: string, at: Date): Release {
  const release = buildingRelease(name, version, at);
  const builds = Object.fromEntries(
    Object.entries(release.builds).map(([entrypoint, build]) => [
      entrypoint,
      {
        ...build,
        status: 'SUCCEEDED' as const,
        buildId: `build-${version}-${entrypoint}`,
        digest: digestOf(`${version}/${entrypoint}`),
      },
    ]),
  );
  return { ...release, builds, state: 'BUILT' };
}

/** A built release that was rolled out and completed at `at`. */
export function completedRelease(name: string, version: string, at: Date): Release {
  const built = builtRelease(name, version, at);
  const iso = at.toISOString();
  return {
    ...built,
    state: 'COMPLETED',
    completedAt: iso,
    rollout: {
      ...{ kind: 'deploy', attempt: 1, steps: [], stepIndex: 0, stepStartedAt: iso, services: {}, tasks: {} },
      ...{ triggeredBy: 'test', lockOwner: `${built.id}@test` },
    },
  };
}

/** An environment of conductor.yml, resolved as a request or event resolves it: once, with its name. */
export function named(name: string): NamedEnvironment {
  return { name, env: environment(name) };
}
