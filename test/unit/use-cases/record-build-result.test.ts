import { describe, expect, it } from 'vitest';
import { recordBuildResult } from '../../../src/use-cases/record-build-result.js';
import { startReleaseBuilds } from '../../../src/use-cases/start-release-builds.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { config, environment } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const ENV = 'cgap-mastertest';

/** A release of 1.4.0 whose four builds CodeBuild is running. */
async function building() {
  const world = inMemoryWorld({ now: T0 });
  const request = { environment: ENV, version: '1.4.0', sourceDigest: `sha256:${'a'.repeat(64)}`, triggeredBy: 'test' };
  const { release } = await startReleaseBuilds(world.ports('push'), environment(ENV), request);
  const buildOf = (entrypoint: string) => release.builds[entrypoint]?.buildId ?? '';
  const pushImage = (entrypoint: string) =>
    world.aws.images.set(`${environment(ENV).repository}:1.4.0-${entrypoint}`, `sha256:${entrypoint.padEnd(64, '0')}`);
  return { world, release, buildOf, pushImage };
}

describe('recordBuildResult', () => {
  it('records a succeeded build with the digest ECR has for its tag, and BUILT once every build has one', async () => {
    const { world, release, buildOf, pushImage } = await building();
    for (const entrypoint of ['wsgi', 'indexer', 'ingester']) {
      pushImage(entrypoint);
      await recordBuildResult(world.ports('event'), config.environments, {
        buildId: buildOf(entrypoint),
        status: 'SUCCEEDED',
      });
    }
    expect(world.release(release.id)?.state).toBe('BUILDING');
    pushImage('deployment');

    const outcome = await recordBuildResult(world.ports('event'), config.environments, {
      buildId: buildOf('deployment'),
      status: 'SUCCEEDED',
    });

    expect(outcome.kind).toBe('recorded');
    expect(world.release(release.id)?.state).toBe('BUILT');
    expect(world.release(release.id)?.builds.deployment).toMatchObject({
      status: 'SUCCEEDED',
      digest: `sha256:${'deployment'.padEnd(64, '0')}`,
    });
  });

  it('keeps a succeeded build in progress while ECR does not show its image yet', async () => {
    const { world, release, buildOf } = await building();
    await recordBuildResult(world.ports('event'), config.environments, {
      buildId: buildOf('wsgi'),
      status: 'SUCCEEDED',
    });
    expect(world.release(release.id)?.builds.wsgi).toMatchObject({ status: 'IN_PROGRESS' });
    expect(world.release(release.id)?.builds.wsgi?.digest).toBeUndefined();
  });

  it('fails the release on a failed build with the phase and log link CodeBuild reports', async () => {
    const { world, release, buildOf } = await building();
    world.aws.builds.set(buildOf('indexer'), {
      status: 'FAILED',
      failedPhase: 'BUILD',
      logsDeepLink: 'https://logs/x',
    });

    await recordBuildResult(world.ports('event'), config.environments, {
      buildId: buildOf('indexer'),
      status: 'FAILED',
    });

    expect(world.release(release.id)).toMatchObject({
      state: 'FAILED',
      failure: {
        kind: 'build',
        step: 'build indexer',
        phase: 'BUILD',
        logLink: 'https://logs/x',
        buildId: buildOf('indexer'),
      },
    });
  });

  it('ignores a build the conductor did not start', async () => {
    const { world } = await building();
    const outcome = await recordBuildResult(world.ports('event'), config.environments, {
      buildId: 'other:1',
      status: 'SUCCEEDED',
    });
    expect(outcome).toEqual({ kind: 'ignored', reason: 'build other:1 was not started by the conductor' });
  });
});
