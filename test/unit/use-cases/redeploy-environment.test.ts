import { describe, expect, it } from 'vitest';
import { NothingToRedeployError } from '../../../src/use-cases/errors.js';
import { redeployEnvironment } from '../../../src/use-cases/redeploy-environment.js';
import { RolloutConflictError } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { completedRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const ENV = 'cgap-mastertest';

function runningWorld() {
  const world = inMemoryWorld({ now: T0 });
  const release = completedRelease(ENV, '1.4.0', T0);
  world.put(release);
  world.state.current.set(ENV, {
    releaseId: release.id,
    since: T0.toISOString(),
    deploymentTaskRunAt: T0.toISOString(),
  });
  const ports = world.ports('api');
  const redeploy = (target = named(ENV)) =>
    redeployEnvironment(ports, target, { triggeredBy: 'ops', requestId: 'req' });
  return { world, release, redeploy };
}

describe('redeployEnvironment', () => {
  it('runs the routine deployment task of the current release now, and nothing else', async () => {
    const { world, release, redeploy } = runningWorld();

    const started = await redeploy();

    expect(started.id).toBe(release.id);
    expect(started.rollout).toMatchObject({ kind: 'rerun', triggeredBy: 'ops' });
    expect(world.calls.runTask.map((call) => call.taskDefinition)).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-deployment:2',
    ]);
    expect(world.calls.updateService).toEqual([]);
  });

  it('is refused while a rollout holds the environment', async () => {
    const { world, redeploy } = runningWorld();
    world.state.locks.acquire(ENV, 'rel-busy@x', 600, T0);
    await expect(redeploy()).rejects.toBeInstanceOf(RolloutConflictError);
    expect(world.calls.runTask).toEqual([]);
  });

  it('is refused without a routine task or a release the environment runs', async () => {
    const { world, redeploy } = runningWorld();
    const { env } = named(ENV);
    const withoutTask = { name: ENV, env: { ...env, rollout: { ...env.rollout, deploymentTask: undefined } } };
    await expect(redeploy(withoutTask)).rejects.toThrow(/no routine deployment task/);
    world.state.current.delete(ENV);
    await expect(redeploy()).rejects.toEqual(expect.any(NothingToRedeployError));
    expect(world.calls.runTask).toEqual([]);
  });
});
