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
import type { RolloutRequest } from '../../../src/use-cases/start-rollout.js';
import { aRelease, releasePages } from '../../support/release-pages.js';
import { exampleEnvironment } from '../../support/example-config.js';
import type { NamedEnvironment } from '../../../src/domain/environment.js';

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
  function ports(history: Release[]) {
    const rolled: RolloutRequest[] = [];
    const { releases } = releasePages(history);
    return {
      rolled,
      ports: {
        releases,
        rollOut: (_target: NamedEnvironment, request: RolloutRequest) => {
          rolled.push(request);
          return Promise.resolve(aRelease({ id: request.releaseId, state: 'DEPLOYING' }));
        },
      },
    };
  }
  const request = { version: '1.4.0', triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release', requestId: 'req-1' };

  it('rolls out the version’s deployable release with the task asked for', async () => {
    const { ports: deps, rolled } = ports([aRelease({ id: 'rel-wanted' })]);
    const started = await deployVersion(deps, target, { ...request, task: 'initial-deployment', confirm: ENV });
    expect(started).toMatchObject({ id: 'rel-wanted', state: 'DEPLOYING' });
    expect(rolled).toEqual([
      {
        releaseId: 'rel-wanted',
        kind: 'deploy',
        task: 'initial-deployment',
        triggeredBy: request.triggeredBy,
        requestId: 'req-1',
      },
    ]);
  });

  it('refuses an unknown task, and a destructive one confirmed for no or another environment, rolling nothing out', async () => {
    const { ports: deps, rolled } = ports([aRelease({ id: 'rel-wanted' })]);
    await expect(deployVersion(deps, target, { ...request, task: 'drop-database' })).rejects.toEqual(
      new UnknownDeploymentTaskError('drop-database'),
    );
    await expect(deployVersion(deps, target, { ...request, task: 'constructor' })).rejects.toBeInstanceOf(
      UnknownDeploymentTaskError,
    );
    for (const confirm of [undefined, 'cgap-prod']) {
      await expect(deployVersion(deps, target, { ...request, task: 'initial-deployment', confirm })).rejects.toEqual(
        new ConfirmationRequiredError('initial-deployment', ENV),
      );
    }
    expect(rolled).toEqual([]);
  });

  it('rolls nothing out for a version without a deployable release', async () => {
    const { ports: deps, rolled } = ports(others(3));
    await expect(deployVersion(deps, target, request)).rejects.toBeInstanceOf(NoBuiltReleaseError);
    expect(rolled).toEqual([]);
  });
});
