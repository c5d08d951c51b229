import { describe, expect, it } from 'vitest';
import { rollBack } from '../../../src/use-cases/roll-back.js';
import { NotDeployableError } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { completedRelease, named } from '../../support/release-fixtures.js';

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

    const started = await rollBack(world.ports('req-1'), named(ENV), request);

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

    const started = await rollBack(world.ports('req-1'), named(ENV), request);

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
    await expect(rollBack(world.ports('req-1'), named(ENV), request)).rejects.toThrow(
      'no completed release before 1.0.0',
    );
    expect(world.state.locks.leases.has(ENV)).toBe(false);
  });
});
