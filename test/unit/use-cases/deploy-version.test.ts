import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/domain/release.js';
import { deployVersion } from '../../../src/use-cases/deploy-version.js';
import {
  ConfirmationRequiredError,
  NoBuiltReleaseError,
  ReleaseStillBuildingError,
  UnknownDeploymentTaskError,
} from '../../../src/use-cases/errors.js';
import { findDeployableRelease } from '../../../src/use-cases/find-deployable-release.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease } from '../../support/release-fixtures.js';
import { aRelease, releasePages } from '../../support/release-pages.js';
import { exampleEnvironment } from '../../support/example-config.js';

const target = exampleEnvironment();
const { name: ENV } = target;
const rolledOut = { kind: 'deploy' } as Release['rollout'];

/** Filler releases of other versions, so a search has pages to go through. */
const others = (count: number) =>
  Array.from({ length: count }, (_, index) => aRelease({ id: `rel-other-${index}`, version: `0.${index}.0` }));

describe('findDeployableRelease', () => {
  it.each<[string, Partial<Release>]>([
    ['BUILT', { state: 'BUILT' }],
    ['COMPLETED', { state: 'COMPLETED' }],
    ['DEPLOYING', { state: 'DEPLOYING' }],
    ['ROLLED_BACK', { state: 'ROLLED_BACK' }],
    ['FAILED after a rollout', { state: 'FAILED', rollout: rolledOut }],
  ])('takes a %s release of the version', async (_name, overrides) => {
    const { releases } = releasePages([...others(3), aRelease({ id: 'rel-wanted', ...overrides })]);
    expect((await findDeployableRelease(releases, ENV, '1.4.0')).id).toBe('rel-wanted');
  });

  it('finds the version pages deep: 50 releases a page', async () => {
    const { releases, requests } = releasePages([...others(120), aRelease({ id: 'rel-wanted' })]);
    expect((await findDeployableRelease(releases, ENV, '1.4.0')).id).toBe('rel-wanted');
    expect(requests.map((request) => request.limit)).toEqual([50, 50, 50]);
  });

  it('prefers a built release over a build of the same version under way on the same page', async () => {
    const building = aRelease({ id: 'rel-building', state: 'BUILDING' });
    const { releases } = releasePages([building, aRelease({ id: 'rel-built' })]);
    expect((await findDeployableRelease(releases, ENV, '1.4.0')).id).toBe('rel-built');
  });

  it('says the version is still building when its page holds only a build under way', async () => {
    const { releases } = releasePages([aRelease({ id: 'rel-building', state: 'BUILDING' }), ...others(2)]);
    await expect(findDeployableRelease(releases, ENV, '1.4.0')).rejects.toBeInstanceOf(ReleaseStillBuildingError);
  });

  it('finds no release whose build failed, nor one of another environment, nor one past 10 pages', async () => {
    const { releases, requests } = releasePages([
      aRelease({ id: 'rel-failed', state: 'FAILED', failure: { kind: 'build', step: 'build wsgi', reason: 'x' } }),
      aRelease({ id: 'rel-prod', environment: 'cgap-prod' }),
      ...others(500),
      aRelease({ id: 'rel-too-old' }),
    ]);
    await expect(findDeployableRelease(releases, ENV, '1.4.0')).rejects.toMatchObject({
      version: '1.4.0',
      buildFailed: true,
      message: 'the build of version 1.4.0 failed; build it again before deploying it',
    });
    expect(requests).toHaveLength(10);
  });
});

describe('deployVersion', () => {
  const T0 = new Date('2026-11-25T16:00:00Z');
  const request = { version: '1.4.0', triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release', requestId: 'req-1' };

  /** A world where 1.4.0 is built (and `others` releases of other versions exist). */
  function builtWorld(releases: Release[] = [builtRelease(ENV, '1.4.0', T0)]) {
    const world = inMemoryWorld({ now: T0 });
    for (const release of releases) world.put(release);
    return { world, ports: world.ports('req-1') };
  }

  it('rolls out the version’s deployable release with the task asked for', async () => {
    const { world, ports } = builtWorld();
    const started = await deployVersion(ports, target, { ...request, task: 'initial-deployment', confirm: ENV });
    expect(started).toMatchObject({
      version: '1.4.0',
      state: 'DEPLOYING',
      rollout: { kind: 'deploy', triggeredBy: request.triggeredBy },
    });
    expect(started.rollout?.steps).toContainEqual({ kind: 'task', task: 'initial-deployment' });
    expect(started.rollout?.steps).not.toContainEqual({ kind: 'task', task: 'deployment' });
    expect(world.calls.updateService.length + world.calls.runTask.length).toBeGreaterThan(0);
  });

  it('refuses an unknown task, and a destructive one confirmed for no or another environment, rolling nothing out', async () => {
    const { world, ports } = builtWorld();
    await expect(deployVersion(ports, target, { ...request, task: 'drop-database' })).rejects.toEqual(
      new UnknownDeploymentTaskError('drop-database'),
    );
    await expect(deployVersion(ports, target, { ...request, task: 'constructor' })).rejects.toBeInstanceOf(
      UnknownDeploymentTaskError,
    );
    for (const confirm of [undefined, 'cgap-prod']) {
      await expect(deployVersion(ports, target, { ...request, task: 'initial-deployment', confirm })).rejects.toEqual(
        new ConfirmationRequiredError('initial-deployment', ENV),
      );
    }
    expect(world.calls.updateService).toEqual([]);
    expect(world.calls.runTask).toEqual([]);
  });

  it('rolls nothing out for a version without a deployable release', async () => {
    const { world, ports } = builtWorld([builtRelease(ENV, '1.3.0', T0)]);
    await expect(deployVersion(ports, target, request)).rejects.toBeInstanceOf(NoBuiltReleaseError);
    expect(world.calls.updateService).toEqual([]);
    expect(world.calls.runTask).toEqual([]);
  });
});
