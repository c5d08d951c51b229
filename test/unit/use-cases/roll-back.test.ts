import { describe, expect, it } from 'vitest';
import { environmentStatus } from '../../../src/use-cases/environment-status.js';
import { rollBack } from '../../../src/use-cases/roll-back.js';
import { advanceRollout, rollBackEnvironment, rollOut } from '../../../src/use-cases/roll-out.js';
import { NotDeployableError } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld, type InMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, completedRelease, named } from '../../support/release-fixtures.js';

const ENV = 'cgap-prod';
const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));
const request = { environment: ENV, triggeredBy: 'alice', requestId: 'req-1' };

function worldRunning(versions: string[], running: string) {
  const world = inMemoryWorld({ now: day(28) });
  const releases = versions.map((version, index) => completedRelease(ENV, version, day(index + 1)));
  for (const release of releases) world.put(release);
  const current = releases.find((release) => release.version === running);
  if (!current) throw new Error('fixture');
  world.state.current.set(ENV, {
    releaseId: current.id,
    since: day(20).toISOString(),
    deploymentTaskRunAt: day(20).toISOString(),
  });
  return { world, byVersion: (version: string) => releases.find((release) => release.version === version)?.id };
}

describe('rollBack', () => {
  it('rolls back from the running release to the completed one before it, with its digests', async () => {
    const { world, byVersion } = worldRunning(['1.0.0', '1.1.0', '1.2.0'], '1.2.0');

    const { release: started, from } = await rollBack(world.ports('req-1'), named(ENV), request);

    expect(from.id).toBe(byVersion('1.2.0'));
    expect(started.id).toBe(byVersion('1.1.0'));
    expect(started.state).toBe('DEPLOYING');
    expect(started.rollout).toMatchObject({
      kind: 'rollback',
      rollingBackFrom: byVersion('1.2.0'),
      triggeredBy: 'alice',
    });
    expect(world.state.locks.leases.get(ENV)?.owner).toBe(`${String(byVersion('1.1.0'))}@req-1`);
  });

  it('finds the target past the first page of history', async () => {
    const versions = Array.from({ length: 30 }, (_, index) => `1.${String(index)}.0`);
    const { world, byVersion } = worldRunning(versions, '1.0.0');
    world.put(completedRelease(ENV, '0.9.0', day(0)));

    const { release: started } = await rollBack(world.ports('req-1'), named(ENV), request);

    expect(started.version).toBe('0.9.0');
    expect(started.rollout?.rollingBackFrom).toBe(byVersion('1.0.0'));
  });

  it('says so when the environment runs no release the conductor rolled out', async () => {
    const world = inMemoryWorld({ now: day(28) });
    const refused = await rollBack(world.ports('req-1'), named(ENV), request).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NotDeployableError);
    expect(refused).toMatchObject({
      field: 'environment',
      message: `environment ${ENV} runs no release the conductor rolled out`,
    });
  });

  it('says so when nothing completed before the running release', async () => {
    const { world } = worldRunning(['1.0.0'], '1.0.0');
    await expect(rollBack(world.ports('req-1'), named(ENV), request)).rejects.toThrow('no release ran before 1.0.0');
    expect(world.state.locks.leases.has(ENV)).toBe(false);
  });
});

/** Takes a started rollout to its end: ECS finishes every deployment, every task exits 0. */
async function finishRollout(world: InMemoryWorld, releaseId: string): Promise<void> {
  for (let tick = 0; tick < 6 && world.release(releaseId)?.state === 'DEPLOYING'; tick += 1) {
    world.completeServiceDeployments();
    world.advance(10_000);
    const moved = await advanceRollout(world.ports(`tick-${String(tick)}`), named(ENV), releaseId);
    for (const task of Object.values(moved?.rollout?.tasks ?? {})) {
      if (task.taskArn && world.aws.tasks.get(task.taskArn)?.lastStatus !== 'STOPPED')
        world.stopTask(task.taskArn, 'portal', 0);
    }
  }
}

describe('rollback after releases deployed out of version order', () => {
  async function deployedInOrder(versions: string[]) {
    const world = inMemoryWorld({ now: day(10) });
    // Created in version order, one day apart: creation order is not the order they ran in.
    const releases = ['1.4.0', '1.5.0', '1.7.0'].map((version, index) => builtRelease(ENV, version, day(index + 1)));
    for (const release of releases) world.put(release);
    const idOf = (version: string) => releases.find((release) => release.version === version)?.id ?? '';
    for (const version of versions) {
      await rollOut(world.ports('api'), named(ENV), {
        ...{ releaseId: idOf(version), kind: 'deploy', triggeredBy: 'alice' },
        requestId: `deploy-${version}`,
      });
      await finishRollout(world, idOf(version));
      expect(world.release(idOf(version))?.state).toBe('COMPLETED');
      world.advance(60_000);
    }
    const status = () =>
      environmentStatus({ ...world.autoscalePorts(), ...world.ports('status') }, named(ENV)).then((read) => ({
        running: read.running,
        state: read.state,
      }));
    return { world, idOf, status };
  }

  it('rolls back to the release that ran before the current one, says from which to which, and status shows what runs', async () => {
    const { world, idOf, status } = await deployedInOrder(['1.5.0', '1.4.0', '1.7.0']);
    expect((await status()).running).toMatchObject({ version: '1.7.0', releaseId: idOf('1.7.0') });

    const { release, from } = await rollBackEnvironment(world.ports('req-rb'), named(ENV), request);
    expect([from.version, release.version]).toEqual(['1.7.0', '1.4.0']);
    await finishRollout(world, release.id);

    expect(world.release(idOf('1.7.0'))?.state).toBe('ROLLED_BACK');
    expect(await status()).toEqual({
      running: { version: '1.4.0', releaseId: idOf('1.4.0'), digest: world.release(idOf('1.4.0'))?.sourceDigest },
      state: 'running 1.4.0; last release 1.7.0 ROLLED_BACK',
    });
  });

  it('steps back once more on a second rollback, past the rolled-back release', async () => {
    const { world, status } = await deployedInOrder(['1.5.0', '1.4.0', '1.7.0']);
    await finishRollout(world, (await rollBackEnvironment(world.ports('rb-1'), named(ENV), request)).release.id);
    world.advance(60_000);

    const second = await rollBackEnvironment(world.ports('rb-2'), named(ENV), request);
    await finishRollout(world, second.release.id);

    expect([second.from.version, second.release.version]).toEqual(['1.4.0', '1.5.0']);
    expect((await status()).running?.version).toBe('1.5.0');
  });

  it('rolls back from 1.4.0 to 1.5.0 when 1.5.0 ran first, though 1.4.0 was created first', async () => {
    const { world } = await deployedInOrder(['1.5.0', '1.4.0']);
    const { release, from } = await rollBackEnvironment(world.ports('req-rb'), named(ENV), request);
    expect([from.version, release.version]).toEqual(['1.4.0', '1.5.0']);
  });
});
