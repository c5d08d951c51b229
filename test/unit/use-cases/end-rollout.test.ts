import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/domain/release.js';
import { endRollout } from '../../../src/use-cases/end-rollout.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { named } from '../../support/release-fixtures.js';

const now = new Date('2026-11-25T16:00:00Z');

function ended(
  state: Release['state'],
  environment: string,
  kind: 'deploy' | 'rollback' = 'deploy',
  rollingBackFrom?: string,
): Release {
  return {
    id: 'rel-new',
    environment,
    version: '2.0.0',
    sourceDigest: 'sha256:s',
    state,
    builds: {},
    triggeredBy: 'api',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    timeline: [],
    completedAt: now.toISOString(),
    rollout: {
      kind,
      attempt: 1,
      steps: [{ kind: 'task', task: 'deployment' }],
      stepIndex: 0,
      stepStartedAt: now.toISOString(),
      services: {},
      tasks: {},
      triggeredBy: 'api',
      lockOwner: 'rel-new@req',
      ...(rollingBackFrom ? { rollingBackFrom } : {}),
    },
  };
}

/** The in-memory world holding the release a rollback may replace, and the environments locked by `rel-new`. */
function fakePorts() {
  const world = inMemoryWorld({ now });
  world.put({ ...ended('COMPLETED', 'cgap-prod'), id: 'rel-old' });
  for (const environment of ['cgap-mastertest', 'cgap-prod'])
    world.state.locks.acquire(environment, 'rel-new@req', 600, now);
  const ports = world.ports('test');
  return {
    ports,
    world,
    locked: (environment: string) => world.state.locks.leases.has(environment),
    current: (environment: string) => world.state.current.get(environment),
  };
}

describe('endRollout', () => {
  it('frees the environment, records what it runs and notifies success', async () => {
    const { ports, world, locked, current } = fakePorts();
    const after = await endRollout(ports, named('cgap-mastertest'), ended('COMPLETED', 'cgap-mastertest'));
    expect(after).toEqual({ kind: 'done' });
    expect(locked('cgap-mastertest')).toBe(false);
    expect(current('cgap-mastertest')).toEqual({
      releaseId: 'rel-new',
      since: now.toISOString(),
      deploymentTaskRunAt: now.toISOString(),
    });
    expect(world.calls.notices).toEqual([{ releaseId: 'rel-new', event: 'completed' }]);
  });

  it('marks the release a completed rollback replaced as ROLLED_BACK', async () => {
    const { ports, world } = fakePorts();
    await endRollout(ports, named('cgap-prod'), ended('COMPLETED', 'cgap-prod', 'rollback', 'rel-old'));
    expect(world.release('rel-old')?.state).toBe('ROLLED_BACK');
  });

  it('decides a rollback by itself after a failure where the environment asks for it (cgap-prod)', async () => {
    const { ports, world, locked, current } = fakePorts();
    const after = await endRollout(ports, named('cgap-prod'), ended('FAILED', 'cgap-prod'));
    expect(after).toEqual({ kind: 'rollBack', fromReleaseId: 'rel-new' });
    expect(locked('cgap-prod')).toBe(false);
    expect(current('cgap-prod')).toBeUndefined();
    expect(world.calls.notices).toEqual([{ releaseId: 'rel-new', event: 'failed' }]);
  });

  it('does not roll back automatically where the environment does not ask, nor after a failed rollback', async () => {
    const mastertest = fakePorts();
    expect(await endRollout(mastertest.ports, named('cgap-mastertest'), ended('FAILED', 'cgap-mastertest'))).toEqual({
      kind: 'done',
    });
    const prod = fakePorts();
    expect(await endRollout(prod.ports, named('cgap-prod'), ended('FAILED', 'cgap-prod', 'rollback', 'rel-x'))).toEqual(
      {
        kind: 'done',
      },
    );
  });

  it('counts a step that ran past its timeout, by the failure kind', async () => {
    const { ports, world } = fakePorts();
    const failure = { kind: 'timeout' as const, step: 'task deployment', reason: 'did not finish within 60 minutes' };
    await endRollout(ports, named('cgap-mastertest'), { ...ended('FAILED', 'cgap-mastertest'), failure });
    await endRollout(ports, named('cgap-mastertest'), {
      ...ended('FAILED', 'cgap-mastertest'),
      id: 'rel-other',
      failure: { ...failure, kind: 'task', reason: 'container app exited with code 3 (did not finish within)' },
    });
    expect(world.calls.stuck).toEqual(['rel-new']);
  });
});
