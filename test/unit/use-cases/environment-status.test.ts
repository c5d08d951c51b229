import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/domain/release.js';
import {
  environmentStatus,
  environmentSummary,
  type EnvironmentStatusPorts,
} from '../../../src/use-cases/environment-status.js';
import { aRelease, releasePages } from '../../support/release-pages.js';
import { exampleEnvironment } from '../../support/example-config.js';

const target = exampleEnvironment();
const { name: ENV, env } = target;
const notRead = () => Promise.reject(new Error('the summary reads only the state table'));

/** The state table holding `history` (newest first) and a rollout lock naming `lockedId`, if any. */
function stateTable(history: Release[], lockedId?: string): EnvironmentStatusPorts {
  return {
    releases: {
      ...releasePages(history).releases,
      get: (id) => {
        const release = history.find((candidate) => candidate.id === id);
        return Promise.resolve(release && { release, version: 1 });
      },
    },
    locks: {
      holder: () =>
        Promise.resolve(lockedId ? { owner: `${lockedId}@req`, releaseId: lockedId, leaseExpiresAt: 1 } : undefined),
    },
    current: { current: () => Promise.resolve(undefined) },
    scaling: { get: () => Promise.resolve(undefined) },
    services: { describeServices: notRead },
    tasks: { describeTaskDefinition: notRead },
    queues: { queueBacklog: notRead },
  };
}

const deploying = aRelease({ id: 'rel-deploying', version: '1.4.0', state: 'DEPLOYING' });
const completed = aRelease({ id: 'rel-completed', version: '1.3.9', state: 'COMPLETED' });
const building = aRelease({ id: 'rel-building', version: '1.5.0', state: 'BUILDING' });

describe('environmentSummary', () => {
  it.each([
    [
      'the release the lock names while it deploys, though a newer one builds',
      [building, deploying],
      deploying.id,
      'deploying 1.4.0 (rel-deploying)',
    ],
    [
      'the newest release while it builds, past a lock its rollout left',
      [building, completed],
      completed.id,
      'building 1.5.0 (rel-building)',
    ],
    ['no active release once the rollout ended', [completed, deploying], completed.id, 'last release 1.3.9 COMPLETED'],
    [
      'a release that deploys without the lock is still active',
      [deploying],
      undefined,
      'deploying 1.4.0 (rel-deploying)',
    ],
    ['idle without releases', [], undefined, 'idle'],
  ])('shows %s', async (_name, history, lockedId, state) => {
    const summary = await environmentSummary(stateTable(history, lockedId), target);
    expect(summary).toMatchObject({ name: ENV, cluster: env.cluster, state });
    expect(summary.activeRelease?.id).toBe(state.match(/\((rel-[a-z]+)\)/)?.[1]);
  });
});

describe('environmentStatus', () => {
  it('reports the active release and the newest one apart', async () => {
    const ports = stateTable([building, deploying], deploying.id);
    const status = await environmentStatus(
      {
        ...ports,
        services: { describeServices: () => Promise.resolve({ services: [], missing: [] }) },
        queues: { queueBacklog: () => Promise.resolve({ visible: 0, inFlight: 0, delayed: 0 }) },
      },
      target,
    );
    expect(status.activeRelease).toMatchObject({ id: 'rel-deploying', state: 'DEPLOYING' });
    expect(status.latestRelease).toMatchObject({
      id: 'rel-building',
      state: 'BUILDING',
      currentStep: 'release created',
    });
    expect(status.services.map((service) => service.status)).toEqual(['MISSING', 'MISSING', 'MISSING']);
    expect(status.queues).toMatchObject([{ key: 'ingestion', visible: 0, lastDecision: null, hold: null }]);
  });
});
