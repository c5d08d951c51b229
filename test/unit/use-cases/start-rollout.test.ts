import { describe, expect, it } from 'vitest';
import { NotDeployableError, RolloutConflictError, startRollout } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { buildingRelease, builtRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const ENV = 'cgap-mastertest';

function worldWith(...releases: ReturnType<typeof builtRelease>[]) {
  const world = inMemoryWorld({ now: T0 });
  for (const release of releases) world.put(release);
  return world;
}

const request = (releaseId: string) => ({
  releaseId,
  kind: 'deploy' as const,
  triggeredBy: 'alice',
  requestId: 'req-1',
});

describe('startRollout', () => {
  it('takes the environment lock, begins the planned rollout and says so', async () => {
    const release = builtRelease(ENV, '1.4.0', T0);
    const world = worldWith(release);

    const started = await startRollout(world.ports('req-1'), named(ENV), request(release.id));

    expect(started.state).toBe('DEPLOYING');
    expect(started.rollout).toMatchObject({
      kind: 'deploy',
      triggeredBy: 'alice',
      lockOwner: `${release.id}@req-1`,
      stepIndex: 0,
      steps: [
        { kind: 'services', services: ['wsgi', 'indexer', 'ingester'] },
        { kind: 'task', task: 'deployment' },
      ],
    });
    // The lease covers every step's timeout (services 30 min, deployment 60 min) plus 15 minutes' slack.
    expect(world.state.locks.leases.get(ENV)).toEqual({
      owner: `${release.id}@req-1`,
      expiresAt: T0.getTime() / 1000 + (30 + 60 + 15) * 60,
    });
    expect(world.calls.notices).toEqual([{ releaseId: release.id, event: 'started' }]);
  });

  it('refuses while another rollout holds the environment, naming it, and changes nothing', async () => {
    const release = builtRelease(ENV, '1.4.0', T0);
    const world = worldWith(release);
    world.state.locks.acquire(ENV, 'rel-busy@req-0', 600, T0);

    const refused = await startRollout(world.ports('req-1'), named(ENV), request(release.id)).catch(
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(RolloutConflictError);
    expect(refused).toMatchObject({ environment: ENV, activeReleaseId: 'rel-busy' });
    expect(world.release(release.id)?.state).toBe('BUILT');
    expect(world.calls.notices).toEqual([]);
  });

  it('refuses a release without every image it needs, before taking the lock', async () => {
    const release = buildingRelease(ENV, '1.5.0', T0);
    const world = worldWith(release);

    const refused = await startRollout(world.ports('req-1'), named(ENV), request(release.id)).catch(
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(NotDeployableError);
    expect(refused).toMatchObject({
      field: 'version',
      message: expect.stringMatching(/no built image for wsgi/) as unknown,
    });
    expect(world.state.locks.leases.has(ENV)).toBe(false);
  });

  it('does nothing for an automatic deploy of a release already rolled out, and frees the lock', async () => {
    const release = builtRelease(ENV, 'abc1234', T0);
    const world = worldWith(release);
    await startRollout(world.ports('req-1'), named(ENV), request(release.id));
    world.state.locks.release(ENV, `${release.id}@req-1`);

    const again = startRollout(world.ports('req-2'), named(ENV), {
      ...request(release.id),
      requestId: 'req-2',
      firstRolloutOnly: true,
    });

    await expect(again).rejects.toThrow(/was already rolled out/);
    expect(world.state.locks.leases.has(ENV)).toBe(false);
  });

  it('refuses a release that does not exist', async () => {
    const world = worldWith();
    await expect(startRollout(world.ports('req-1'), named(ENV), request('rel-00000000000000000000'))).rejects.toThrow(
      NotDeployableError,
    );
  });
});
