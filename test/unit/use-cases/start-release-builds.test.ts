import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import type { Release } from '../../../src/domain/release.js';
import { startReleaseBuilds, type BuildPorts } from '../../../src/use-cases/start-release-builds.js';

const env = parseConductorConfig({
  environments: {
    app: {
      repository: 'app',
      codebuild: { project: 'app-builds' },
      cluster: 'app',
      services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
    },
  },
}).environments.app;
if (!env) throw new Error('fixture');

const request = { environment: 'app', version: '1.4.0', sourceDigest: 'sha256:abc', triggeredBy: 'push:evt-1' };

/** In-memory ports: a release store, a CodeBuild that numbers builds, and claims held by others. */
function fakePorts(options: { claimedByOthers?: string[]; failStartOf?: string } = {}) {
  const stored = new Map<string, Release>();
  const started: { project: string; idempotencyToken: string; variables: Record<string, string> }[] = [];
  const ports: BuildPorts = {
    releases: {
      create: (release) => Promise.resolve(!stored.has(release.id) && Boolean(stored.set(release.id, release))),
      get: (id) => Promise.resolve(stored.has(id) ? { release: stored.get(id) as Release, version: 1 } : undefined),
      update: (id, transition) => {
        const next = transition(stored.get(id) as Release);
        stored.set(id, next);
        return Promise.resolve(next);
      },
      claimBuild: (_id, entrypoint) => Promise.resolve(!(options.claimedByOthers ?? []).includes(entrypoint)),
      releaseBuildClaim: () => Promise.resolve(true),
      indexBuild: () => Promise.resolve(),
    },
    startBuild: (build) => {
      const entrypoint = build.environmentVariables.ENTRYPOINT ?? '';
      if (entrypoint === options.failStartOf) return Promise.reject(new Error('throttled'));
      started.push({
        project: build.project,
        idempotencyToken: build.idempotencyToken,
        variables: build.environmentVariables,
      });
      return Promise.resolve(`app-builds:${entrypoint}-${String(started.length)}`);
    },
    buildVariables: (entrypoint, release) => ({ ENTRYPOINT: entrypoint, SOURCE_TAG: release.version }),
    now: () => new Date('2026-11-25T15:00:00Z'),
    owner: 'invocation-1',
  };
  return { ports, started, stored };
}

describe('startReleaseBuilds', () => {
  it('starts one build per entrypoint on the environment project', async () => {
    const { ports, started } = fakePorts();
    const { release, started: names } = await startReleaseBuilds(ports, env, request);
    expect(names).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(started.map((build) => build.project)).toEqual(['app-builds', 'app-builds', 'app-builds', 'app-builds']);
    expect(Object.values(release.builds).every((build) => build.status === 'IN_PROGRESS' && build.buildId)).toBe(true);
  });

  it('gives the same entrypoint of the same release the same idempotency token on every delivery', async () => {
    const first = fakePorts();
    const second = fakePorts();
    await startReleaseBuilds(first.ports, env, request);
    await startReleaseBuilds(second.ports, env, request);
    expect(first.started.map((build) => build.idempotencyToken)).toEqual(
      second.started.map((build) => build.idempotencyToken),
    );
  });

  it('leaves builds another invocation has claimed to that invocation', async () => {
    const { ports, started } = fakePorts({ claimedByOthers: ['indexer'] });
    const { started: names, release } = await startReleaseBuilds(ports, env, request);
    expect(names).toEqual(['wsgi', 'ingester', 'deployment']);
    expect(started).toHaveLength(3);
    expect(release.builds.indexer).toMatchObject({ status: 'PENDING' });
  });

  it('resumes after a failure: a retry starts only the builds that did not start', async () => {
    const failing = fakePorts({ failStartOf: 'ingester' });
    await expect(startReleaseBuilds(failing.ports, env, request)).rejects.toThrow('throttled');
    expect(failing.started.map((build) => build.variables.ENTRYPOINT)).toEqual(['wsgi', 'indexer']);

    // The retry (Lambda's async retry of the same event) sees the stored release.
    const retry = { ...failing.ports, startBuild: fakePorts().ports.startBuild };
    const { started } = await startReleaseBuilds(retry, env, request);
    expect(started).toEqual(['ingester', 'deployment']);
  });

  it('builds only the entrypoints asked for', async () => {
    const { ports } = fakePorts();
    const { release } = await startReleaseBuilds(ports, env, { ...request, entrypoints: ['indexer'] });
    expect(Object.keys(release.builds)).toEqual(['indexer']);
    expect(release.builds.indexer?.imageTag).toBe('1.4.0-indexer');
  });
});
