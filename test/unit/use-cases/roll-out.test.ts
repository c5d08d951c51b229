import { describe, expect, it } from 'vitest';
import { advanceRollout, rollOut } from '../../../src/use-cases/roll-out.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, completedRelease, config, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const PROD = 'cgap-prod';

describe('rollOut and advanceRollout', () => {
  it('rolls a release out to COMPLETED and records it as what the environment runs', async () => {
    const world = inMemoryWorld({ now: T0 });
    const release = builtRelease(PROD, '2.0.0', T0);
    world.put(release);

    await rollOut(world.ports('api'), named(PROD), {
      releaseId: release.id,
      kind: 'deploy',
      triggeredBy: 'a',
      requestId: 'r',
    });
    world.completeServiceDeployments();
    const running = await advanceRollout(world.ports('tick'), named(PROD), release.id);
    world.stopTask(running?.rollout?.tasks.deployment?.taskArn ?? '', 'portal', 0);
    const done = await advanceRollout(world.ports('tick'), named(PROD), release.id);

    expect(done?.state).toBe('COMPLETED');
    expect(world.state.current.get(PROD)?.releaseId).toBe(release.id);
    expect(world.state.locks.leases.has(PROD)).toBe(false);
    expect(world.calls.notices.map((notice) => notice.event)).toEqual(['started', 'completed']);
  });

  it('rolls production back by itself when its deployment task fails, and only once', async () => {
    const world = inMemoryWorld({ now: T0 });
    const good = completedRelease(PROD, '1.0.0', new Date(T0.getTime() - 86_400_000));
    const bad = builtRelease(PROD, '2.0.0', T0);
    world.put(good);
    world.put(bad);
    world.state.current.set(PROD, { releaseId: good.id, since: good.createdAt, deploymentTaskRunAt: good.createdAt });
    await rollOut(world.ports('api'), named(PROD), {
      releaseId: bad.id,
      kind: 'deploy',
      triggeredBy: 'a',
      requestId: 'r',
    });
    world.completeServiceDeployments();
    const running = await advanceRollout(world.ports('tick'), named(PROD), bad.id);
    const container = config.environments[PROD]?.deploymentTasks.deployment?.container ?? 'app';
    world.stopTask(running?.rollout?.tasks.deployment?.taskArn ?? '', container, 3);

    const failed = await advanceRollout(world.ports('event'), named(PROD), bad.id);
    await advanceRollout(world.ports('redelivered'), named(PROD), bad.id);

    expect(failed).toMatchObject({ state: 'FAILED', failure: { kind: 'task' } });
    expect(world.release(good.id)?.rollout).toMatchObject({
      kind: 'rollback',
      rollingBackFrom: bad.id,
      triggeredBy: 'auto-rollback',
    });
    expect(world.state.locks.leases.get(PROD)?.owner).toBe(`${good.id}@event-rollback`);
    expect(world.calls.notices.filter((notice) => notice.event === 'failed')).toEqual([
      { releaseId: bad.id, event: 'failed' },
    ]);
  });
});
