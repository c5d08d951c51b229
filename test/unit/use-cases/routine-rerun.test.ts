import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/domain/release.js';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { inMemoryWorld, type InMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, completedRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const ENV = 'cgap-mastertest';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** An environment running `release`, whose routine task last ran 80 days ago: the re-run is due now. */
function dueWorld(release: Release): InMemoryWorld {
  const world = inMemoryWorld({ now: T0 });
  world.put(release);
  const ranAt = new Date(T0.getTime() - 80 * DAY).toISOString();
  world.state.current.set(ENV, { releaseId: release.id, since: ranAt, deploymentTaskRunAt: ranAt });
  return world;
}

/** Reconcile once a minute for `minutes`; the minutes at which a task was asked for. */
async function tick(world: InMemoryWorld, minutes: number): Promise<number[]> {
  const tries: number[] = [];
  for (let minute = 0; minute < minutes; minute += 1) {
    const before = world.calls.runTask.length;
    await reconcileEnvironment(world.ports(`tick-${String(minute)}`), named(ENV), `tick-${String(minute)}`);
    if (world.calls.runTask.length > before) tries.push(minute);
    world.advance(MINUTE);
  }
  return tries;
}

describe('routine re-runs that back off', () => {
  it('try once per backoff step (1 h, then 2 h), never once per tick, with a notice per failure', async () => {
    const release = completedRelease(ENV, '1.4.0', T0);
    const world = dueWorld(release);
    world.behaviour.refuseTasks = ['RESOURCE:ENI'];

    const tries = await tick(world, 4 * 60);

    expect(tries).toEqual([0, 60, 180]);
    const failures = world.calls.notices.filter((notice) => notice.event === 'rerun-failed');
    expect(failures).toHaveLength(3);
    expect(failures.at(-1)?.details).toMatchObject({ failures: '3', nextTryAt: '2026-11-25T23:00:00.000Z' });
    expect(world.calls.notices.filter((notice) => notice.event === 'failed')).toHaveLength(0);
    expect(world.state.current.get(ENV)?.rerunRetry).toMatchObject({
      failures: 3,
      lastFailure: { releaseId: release.id, reason: expect.stringContaining('RESOURCE:ENI') as string },
    });
  });

  it('clears the backoff once a re-run succeeds', async () => {
    const world = dueWorld(completedRelease(ENV, '1.4.0', T0));
    world.behaviour.refuseTasks = ['RESOURCE:ENI'];
    await tick(world, 1);
    delete world.behaviour.refuseTasks;
    world.advance(60 * MINUTE);

    expect(await tick(world, 1)).toEqual([0]);
    const started = world.calls.runTask.at(-1);
    world.stopTask(`arn:aws:ecs:us-east-1:123456789012:task/${ENV}/${started?.clientToken ?? ''}`, 'app', 0);
    await tick(world, 1);

    const current = world.state.current.get(ENV);
    expect(current?.rerunRetry).toBeUndefined();
    expect(Date.parse(current?.deploymentTaskRunAt ?? '')).toBeGreaterThan(T0.getTime());
    expect(await tick(world, 120)).toEqual([]);
  });

  it('counts a re-run that cannot start as a failure, and waits before the next try', async () => {
    const built = builtRelease(ENV, '1.4.0', T0);
    const builds = Object.fromEntries(
      Object.entries(built.builds).filter(([entrypoint]) => entrypoint !== 'deployment'),
    );
    const world = dueWorld({ ...built, builds, state: 'COMPLETED', completedAt: T0.toISOString() });

    const started = await tick(world, 59);

    expect(started).toEqual([]);
    expect(world.calls.notices.map((notice) => notice.event)).toEqual(['rerun-failed']);
    expect(world.state.current.get(ENV)?.rerunRetry?.lastFailure.reason).toMatch(/did not start: .*deployment/);
    expect(world.state.locks.leases.has(ENV)).toBe(false);
  });

  it('after a crash between FAILED and its backoff, reconcile records the backoff once: no second RunTask', async () => {
    const release = completedRelease(ENV, '1.4.0', T0);
    const world = dueWorld(release);
    world.behaviour.refuseTasks = ['RESOURCE:ENI'];
    // The first tick dies as it writes the backoff: the release is FAILED, nothing after it recorded.
    const ports = world.ports('tick-crash');
    const setCurrent = ports.current.setCurrent.bind(ports.current);
    let crashed = false;
    ports.current.setCurrent = async (environment, record) => {
      if (!crashed && record.rerunRetry) {
        crashed = true;
        throw new Error('crash injected between FAILED and backoff');
      }
      await setCurrent(environment, record);
    };
    await expect(reconcileEnvironment(ports, named(ENV), 'tick-crash')).rejects.toThrow(/crash injected/);
    expect(world.calls.runTask).toHaveLength(1);
    world.advance(MINUTE);

    const tries = await tick(world, 30);

    expect(tries).toEqual([]);
    expect(world.state.locks.leases.has(ENV)).toBe(false);
    expect(world.state.current.get(ENV)?.rerunRetry?.failures).toBe(1);
    expect(world.calls.notices.filter((notice) => notice.event === 'rerun-failed')).toHaveLength(1);
  });
});
