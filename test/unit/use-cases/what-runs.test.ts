import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/domain/release.js';
import { environmentStatus } from '../../../src/use-cases/environment-status.js';
import { rollBack } from '../../../src/use-cases/roll-back.js';
import { advanceRollout, rollOut } from '../../../src/use-cases/roll-out.js';
import { inMemoryWorld, type InMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-11-25T16:00:00Z');
const ENV = 'cgap-mastertest';
const HOUR = 3_600_000;

/** Deploys `release` through its services and its deployment task, which exits with `exitCode`. */
async function deploy(world: InMemoryWorld, release: Release, exitCode: number): Promise<Release | undefined> {
  world.put(release);
  const request = { releaseId: release.id, kind: 'deploy' as const, triggeredBy: 'ops', requestId: release.version };
  await rollOut(world.ports('api'), named(ENV), request);
  world.completeServiceDeployments();
  const running = await advanceRollout(world.ports('tick'), named(ENV), release.id);
  world.stopTask(running?.rollout?.tasks.deployment?.taskArn ?? '', 'portal', exitCode);
  const ended = await advanceRollout(world.ports('tick'), named(ENV), release.id);
  world.advance(HOUR);
  return ended;
}

/** The status reads of the world, with idle queues and no scaling record. */
const statusPorts = (world: InMemoryWorld) => ({
  ...world.ports('api'),
  queues: { queueBacklog: () => Promise.resolve({ visible: 0, inFlight: 0, delayed: 0 }) },
  scaling: { get: () => Promise.resolve(undefined) },
});

/** 1.4.0 and 1.5.0 completed; 1.6.0's services rolled, then its deployment task exited 3. */
async function failedAfterServicesRolled() {
  const world = inMemoryWorld({ now: T0 });
  const [v14, v15, v16] = ['1.4.0', '1.5.0', '1.6.0'].map((version, index) =>
    builtRelease(ENV, version, new Date(T0.getTime() + index * HOUR)),
  );
  if (!v14 || !v15 || !v16) throw new Error('no releases');
  expect((await deploy(world, v14, 0))?.state).toBe('COMPLETED');
  expect((await deploy(world, v15, 0))?.state).toBe('COMPLETED');
  expect((await deploy(world, v16, 3))?.state).toBe('FAILED');
  return { world, v15, v16 };
}

describe('the truth of what runs, from ECS', () => {
  it('after a failed deploy whose services rolled: status names 1.6.0 as running, Degraded, rollback to 1.5.0', async () => {
    const { world, v15, v16 } = await failedAfterServicesRolled();

    const status = await environmentStatus(statusPorts(world), named(ENV));

    expect(status.running?.version).toBe('1.6.0');
    expect(status.running?.releaseId).toBe(v16.id);
    expect(status.services.map((service) => service.version)).toEqual(status.services.map(() => '1.6.0'));
    expect(status.health).toBe('Degraded');
    expect(status.healthReason).toMatch(/1\.6\.0.*failed/);
    expect(status.rollbackTo).toEqual({ version: '1.5.0', releaseId: v15.id });
    expect(status.nextStep).toBe(`ecs-conductor rollback ${ENV}   (back to 1.5.0)`);
  });

  it('rollback goes from what runs (1.6.0) to what ran before it (1.5.0), never further back', async () => {
    const { world, v15, v16 } = await failedAfterServicesRolled();

    const { release, from } = await rollBack(world.ports('api'), named(ENV), { triggeredBy: 'ops', requestId: 'rb' });

    expect(from.id).toBe(v16.id);
    expect(release.id).toBe(v15.id);
    expect(release.rollout).toMatchObject({ kind: 'rollback', rollingBackFrom: v16.id });
  });

  it('is Healthy when every service runs the completed release', async () => {
    const world = inMemoryWorld({ now: T0 });
    await deploy(world, builtRelease(ENV, '1.4.0', T0), 0);

    const status = await environmentStatus(statusPorts(world), named(ENV));

    expect(status).toMatchObject({ health: 'Healthy', nextStep: null, running: { version: '1.4.0' } });
  });

  it('says whether the environment is production, as its config flags it (the console asks for its name then)', async () => {
    const world = inMemoryWorld({ now: T0 });
    const target = named(ENV);
    expect((await environmentStatus(statusPorts(world), target)).production).toBe(false);
    const flagged = { ...target, env: { ...target.env, production: true } };
    expect((await environmentStatus(statusPorts(world), flagged)).production).toBe(true);
  });
});
