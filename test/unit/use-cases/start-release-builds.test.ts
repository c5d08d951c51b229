import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { recordBuildOutcome, releaseIdFor } from '../../../src/domain/release.js';
import { startReleaseBuilds, type BuildPorts } from '../../../src/use-cases/start-release-builds.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';

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

const T0 = new Date('2026-11-25T15:00:00Z');

/** The in-memory world; `claimedByOthers` are build claims a live invocation holds. */
function fakePorts(options: { claimedByOthers?: string[]; failStartOf?: string } = {}) {
  const world = inMemoryWorld({ now: T0 });
  const basePorts = world.ports('invocation-1');
  const releaseId = releaseIdFor('app', request.sourceDigest, env?.entrypoints.map((e) => e.name) ?? []);
  for (const entrypoint of options.claimedByOthers ?? [])
    world.state.claims.acquire(`${releaseId}#${entrypoint}`, 'other', 120, T0);
  const ports: BuildPorts = {
    ...basePorts,
    builds: {
      ...basePorts.builds,
      startBuild: (build) =>
        build.environmentVariables.ENTRYPOINT === options.failStartOf
          ? Promise.reject(new Error('throttled'))
          : basePorts.builds.startBuild(build),
    },
  };
  const started = () => world.calls.startBuild.map((build) => ({ ...build, variables: build.environmentVariables }));
  return { ports, world, started };
}

describe('startReleaseBuilds', () => {
  it('starts one build per entrypoint on the environment project', async () => {
    const { ports, started } = fakePorts();
    const { release, started: names } = await startReleaseBuilds(ports, env, request);
    expect(names).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(started().map((build) => build.project)).toEqual(['app-builds', 'app-builds', 'app-builds', 'app-builds']);
    expect(Object.values(release.builds).every((build) => build.status === 'IN_PROGRESS' && build.buildId)).toBe(true);
  });

  it('gives the same entrypoint of the same release the same idempotency token on every delivery', async () => {
    const first = fakePorts();
    const second = fakePorts();
    await startReleaseBuilds(first.ports, env, request);
    await startReleaseBuilds(second.ports, env, request);
    expect(first.started().map((build) => build.idempotencyToken)).toEqual(
      second.started().map((build) => build.idempotencyToken),
    );
  });

  it('leaves builds another invocation has claimed to that invocation', async () => {
    const { ports, started } = fakePorts({ claimedByOthers: ['indexer'] });
    const { started: names, release } = await startReleaseBuilds(ports, env, request);
    expect(names).toEqual(['wsgi', 'ingester', 'deployment']);
    expect(started()).toHaveLength(3);
    expect(release.builds.indexer).toMatchObject({ status: 'PENDING' });
  });

  it('resumes after a failure: a retry starts only the builds that did not start', async () => {
    const failing = fakePorts({ failStartOf: 'ingester' });
    await expect(startReleaseBuilds(failing.ports, env, request)).rejects.toThrow('throttled');
    expect(failing.started().map((build) => build.variables.ENTRYPOINT)).toEqual(['wsgi', 'indexer']);

    // The retry (Lambda's async retry of the same event) sees the stored release, and the claim given back.
    const { started } = await startReleaseBuilds(failing.world.ports('invocation-2'), env, request);
    expect(started).toEqual(['ingester', 'deployment']);
    expect(failing.started().map((build) => build.variables.ENTRYPOINT)).toEqual([
      'wsgi',
      'indexer',
      'ingester',
      'deployment',
    ]);
  });

  it('builds a version again after its build failed, once per request however often it is repeated', async () => {
    const { ports, world, started } = fakePorts();
    const first = await startReleaseBuilds(ports, env, request);
    const failedBuild = first.release.builds.wsgi?.buildId ?? '';
    world.aws.builds.set(failedBuild, { status: 'FAILED' });
    await ports.releases.update(first.release.id, (release) =>
      recordBuildOutcome(release, 'wsgi', { status: 'FAILED' }, T0),
    );

    // A redelivered push finds the failed release and starts nothing.
    expect((await startReleaseBuilds(ports, env, request)).started).toEqual([]);
    const again = await startReleaseBuilds(ports, env, { ...request, retryFailed: true });
    const repeated = await startReleaseBuilds(ports, env, { ...request, retryFailed: true });

    expect(again.release.id).not.toBe(first.release.id);
    expect(again.release).toMatchObject({ state: 'BUILDING', buildAttempt: 2, version: '1.4.0' });
    expect(again.started).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(repeated).toMatchObject({ release: { id: again.release.id }, started: [] });
    expect(started()).toHaveLength(8);
    expect(new Set(started().map((build) => build.idempotencyToken)).size).toBe(8);
  });

  it('builds only the entrypoints asked for', async () => {
    const { ports } = fakePorts();
    const { release } = await startReleaseBuilds(ports, env, { ...request, entrypoints: ['indexer'] });
    expect(Object.keys(release.builds)).toEqual(['indexer']);
    expect(release.builds.indexer?.imageTag).toBe('1.4.0-indexer');
  });
});
