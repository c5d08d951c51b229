import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../src/domain/environment.js';
import { releaseSummary } from '../../../src/domain/environment-status.js';
import { abortRelease } from '../../../src/use-cases/abort-release.js';
import { deployVersion } from '../../../src/use-cases/deploy-version.js';
import { NothingToAbortError } from '../../../src/use-cases/errors.js';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { BLUE_GREEN } from '../../support/native-strategy.js';
import { builtRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const ENV = 'cgap-mastertest';
const OPERATOR = 'arn:aws:iam::123456789012:role/cgap-release';

function world(change: (env: Environment) => Environment = (env) => env) {
  const base = named(ENV);
  const wsgi = base.env.services.wsgi as NonNullable<Environment['services']['wsgi']>;
  const env = change({
    ...base.env,
    services: { ...base.env.services, wsgi: { ...wsgi, strategy: { ...BLUE_GREEN, smokeCheck: undefined } } },
    rollout: { ...base.env.rollout, services: ['wsgi', 'indexer'], order: 'services-first', autoRollback: true },
  });
  const target = { name: ENV, env };
  const fake = inMemoryWorld({ now: T0 });
  const before = { ...builtRelease(ENV, '1.3.0', new Date(T0.getTime() - 3_600_000)), state: 'COMPLETED' as const };
  fake.put({ ...before, completedAt: before.createdAt });
  fake.state.current.set(ENV, { releaseId: before.id, since: before.createdAt, deploymentTaskRunAt: null });
  const release = builtRelease(ENV, '1.4.0', T0);
  fake.put(release);
  return { fake, target, release, before, ports: fake.ports('req-1') };
}

const deploy = { version: '1.4.0', triggeredBy: OPERATOR, requestId: 'req-deploy' };

describe('abort', () => {
  it('stops every service deployment in progress (native and rolling) and ends the release FAILED, kind aborted', async () => {
    const { fake, target, release, before, ports } = world();
    await deployVersion(ports, target, deploy);
    fake.advance(30_000);
    const aborted = await abortRelease(fake.ports('req-abort'), target, { by: OPERATOR, reason: 'wrong branch' });

    expect(fake.calls.stopServiceDeployment).toHaveLength(2);
    expect(fake.calls.stopServiceDeployment).toContain(aborted.rollout?.services.wsgi?.serviceDeploymentArn);
    expect(fake.calls.stopServiceDeployment.some((arn) => arn.includes('cgap-mastertest-indexer'))).toBe(true);
    expect(aborted).toMatchObject({
      state: 'FAILED',
      failure: {
        kind: 'aborted',
        reason: `aborted by ${OPERATOR} at 2026-12-01T10:00:30.000Z: wrong branch`,
        aborted: { by: OPERATOR, at: '2026-12-01T10:00:30.000Z', reason: 'wrong branch' },
      },
    });
    expect(aborted.failure?.aborted?.rollsBackTo).toBe(`what ran before: 1.3.0 (${before.id})`);
    // Status says it too.
    expect(releaseSummary(aborted)?.failure).toBe(
      `${aborted.failure?.reason ?? ''}; ECS rolls back to what ran before: 1.3.0 (${before.id})`,
    );
    expect(aborted.timeline.map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['rollout aborted', 'service wsgi stopped', 'service indexer stopped']),
    );
    // The environment is free, no automatic rollback follows (ECS's rollback is the abort's), the notice went out.
    expect(fake.state.locks.leases.has(ENV)).toBe(false);
    expect(fake.release(before.id)?.state).toBe('COMPLETED');
    expect(fake.calls.notices).toContainEqual(expect.objectContaining({ releaseId: release.id, event: 'failed' }));
    // A tick after the abort moves nothing.
    const writes = fake.calls.startNativeDeployment.length + fake.calls.updateService.length;
    await reconcileEnvironment(fake.ports('tick'), target, 'tick');
    expect(fake.calls.startNativeDeployment.length + fake.calls.updateService.length).toBe(writes);
  });

  it('answers a second abort with the same release, and refuses one with nothing aborted or moving (what runs)', async () => {
    const { fake, target, before, ports } = world();
    await expect(abortRelease(ports, target, { by: OPERATOR })).rejects.toThrow(
      new NothingToAbortError(ENV, `1.3.0 (${before.id})`),
    );
    await deployVersion(ports, target, deploy);
    const first = await abortRelease(ports, target, { by: OPERATOR });
    const second = await abortRelease(ports, target, { by: OPERATOR });
    expect(second).toEqual(first);
    expect(fake.calls.stopServiceDeployment).toHaveLength(2);
  });

  it('stops the running deployment task', async () => {
    const { fake, target, ports } = world((env) => ({
      ...env,
      rollout: { ...env.rollout, order: 'deployment-first', deploymentTask: 'deployment' },
    }));
    await deployVersion(ports, target, deploy);
    const taskArn = fake.calls.runTask[0]?.clientToken ?? '';
    expect(taskArn).not.toBe('');
    const aborted = await abortRelease(ports, target, { by: OPERATOR });
    expect(fake.calls.stopTask).toEqual([
      { taskArn: expect.stringContaining(taskArn) as string, reason: expect.stringContaining('aborted by') as string },
    ]);
    expect(fake.calls.stopServiceDeployment).toEqual([]);
    expect(aborted.timeline.map((entry) => entry.step)).toContain('task deployment stopped');
  });

  it('ends a bake as a rollback during a bake does: nothing in ECS to stop', async () => {
    const { fake, target, release, ports } = world((env) => ({
      ...env,
      rollout: { ...env.rollout, deploymentTask: undefined },
      gates: { alarms: ['cgap-5xx'], bakeMinutes: 10, override: [] },
    }));
    fake.setAlarm('cgap-5xx', 'OK');
    await deployVersion(ports, target, deploy);
    fake.completeServiceDeployments();
    const arn = fake.release(release.id)?.rollout?.services.wsgi?.serviceDeploymentArn ?? '';
    fake.aws.serviceDeployments.set(arn, { arn, status: 'SUCCESSFUL' });
    await reconcileEnvironment(fake.ports('tick'), target, 'tick');
    expect(fake.release(release.id)?.state).toBe('BAKING');
    const aborted = await abortRelease(ports, target, { by: OPERATOR });
    expect(aborted.failure).toMatchObject({ kind: 'aborted', step: 'bake' });
    expect(aborted.failure?.aborted?.rollsBackTo).toBeUndefined();
    expect(fake.calls.stopServiceDeployment).toEqual([]);
    expect(fake.state.locks.leases.has(ENV)).toBe(false);
  });
});
