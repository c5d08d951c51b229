import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../src/domain/environment.js';
import type { GateSettings } from '../../../src/domain/gates.js';
import { abortRelease } from '../../../src/use-cases/abort-release.js';
import { approveRelease, rejectRelease } from '../../../src/use-cases/approve-release.js';
import { deployVersion } from '../../../src/use-cases/deploy-version.js';
import { ApprovalRefusedError } from '../../../src/use-cases/errors.js';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { BLUE_GREEN } from '../../support/native-strategy.js';
import { builtRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const PROD = 'cgap-prod';
const ASKER = 'arn:aws:iam::123456789012:role/cgap-release';
const APPROVER = 'arn:aws:sts::123456789012:assumed-role/cgap-approver/bob';
const HOOK = 'ecs-pause-1';

const gates: GateSettings = {
  approval: {
    at: 'before-production-traffic',
    approve: ['arn:aws:iam::123456789012:role/cgap-approver', ASKER],
    fourEyes: true,
    expiresAfterMinutes: 60,
  },
  override: [],
};

function pausingWorld() {
  const base = named(PROD);
  const wsgi = base.env.services.wsgi as NonNullable<Environment['services']['wsgi']>;
  const env: Environment = {
    ...base.env,
    gates,
    services: { ...base.env.services, wsgi: { ...wsgi, strategy: { ...BLUE_GREEN, smokeCheck: undefined } } },
    rollout: { ...base.env.rollout, services: ['wsgi'], deploymentTask: undefined, autoRollback: false },
  };
  const target = { name: PROD, env };
  const world = inMemoryWorld({ now: T0 });
  const release = builtRelease(PROD, '1.4.0', T0);
  world.put(release);
  const ports = world.ports('req-1');
  const arnOf = () => world.release(release.id)?.rollout?.services.wsgi?.serviceDeploymentArn ?? '';
  /** ECS reaches the PAUSE hook at POST_TEST_TRAFFIC_SHIFT. */
  const pause = () => {
    const arn = arnOf();
    world.aws.serviceDeployments.set(arn, {
      arn,
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      pauses: [
        { hookId: HOOK, status: 'AWAITING_ACTION', expiresAt: '2026-12-01T11:00:30.000Z', timeoutAction: 'ROLLBACK' },
      ],
    });
  };
  return { world, target, release, ports, arnOf, pause };
}

const ask = { version: '1.4.0', triggeredBy: ASKER, requestId: 'req-ask' };
const answer = (principal: string, reason?: string) => ({ version: '1.4.0', principal, reason, requestId: 'req-2' });

describe('approval at the pause before production traffic', () => {
  it('rolls out without asking first, registering a PAUSE hook that times out after the approval’s expiry', async () => {
    const { world, target, ports } = pausingWorld();
    const started = await deployVersion(ports, target, ask);
    expect(started.state).toBe('DEPLOYING');
    expect(world.calls.startNativeDeployment[0]?.approvalPause).toEqual({ timeoutMinutes: 60 });
    expect(world.calls.notices.map((notice) => notice.event)).not.toContain('awaiting-approval');
  });

  it('waits AWAITING_APPROVAL at the pause, holding the environment, then approve answers CONTINUE', async () => {
    const { world, target, release, ports, arnOf, pause } = pausingWorld();
    await deployVersion(ports, target, ask);
    pause();
    const report = await reconcileEnvironment(world.ports('tick-1'), target, 'tick-1');
    const waiting = world.release(release.id);
    expect(report.progressed).toMatchObject({ state: 'AWAITING_APPROVAL' });
    expect(waiting?.approval).toMatchObject({
      requestedBy: ASKER,
      expiresAt: '2026-12-01T11:00:30.000Z',
      pause: { service: 'wsgi', serviceDeploymentArn: arnOf(), hookId: HOOK, timeoutAction: 'ROLLBACK' },
    });
    expect(world.calls.notices).toContainEqual(expect.objectContaining({ event: 'awaiting-approval' }));
    // Still holding the environment: another deploy is refused, and a second tick changes nothing.
    await expect(deployVersion(ports, target, ask)).rejects.toThrow(/busy with release/);
    await reconcileEnvironment(world.ports('tick-2'), target, 'tick-2');
    expect(world.release(release.id)?.state).toBe('AWAITING_APPROVAL');

    await expect(approveRelease(ports, target, answer(ASKER))).rejects.toBeInstanceOf(ApprovalRefusedError);
    expect(world.calls.continueServiceDeployment).toEqual([]);

    world.advance(5 * 60_000);
    const approved = await approveRelease(ports, target, answer(APPROVER, 'green looks right'));
    expect(world.calls.continueServiceDeployment).toEqual([{ arn: arnOf(), hookId: HOOK, action: 'CONTINUE' }]);
    expect(approved.state).toBe('DEPLOYING');
    expect(approved.approval).toBeUndefined();
    expect(approved.rollout?.gates?.at(-1)).toMatchObject({ gate: 'approval', outcome: 'passed' });
    expect(approved.timeline.at(-1)?.detail).toContain(`approved by ${APPROVER}`);

    // ECS still reports the hook it was just told to continue: it is not awaited a second time.
    world.aws.serviceDeployments.set(arnOf(), {
      arn: arnOf(),
      status: 'IN_PROGRESS',
      pauses: [{ hookId: HOOK, status: 'AWAITING_ACTION' }],
    });
    await reconcileEnvironment(world.ports('tick-3'), target, 'tick-3');
    expect(world.release(release.id)?.state).toBe('DEPLOYING');

    world.aws.serviceDeployments.set(arnOf(), { arn: arnOf(), status: 'SUCCESSFUL' });
    await reconcileEnvironment(world.ports('tick-4'), target, 'tick-4');
    expect(world.release(release.id)?.state).toBe('COMPLETED');
  });

  it('reject answers ROLLBACK and the release fails on ECS’s rollback, naming the rejecter', async () => {
    const { world, target, release, ports, arnOf, pause } = pausingWorld();
    await deployVersion(ports, target, ask);
    pause();
    await reconcileEnvironment(world.ports('tick-1'), target, 'tick-1');
    // Four eyes guard approvals only: the asker may withdraw.
    const rejected = await rejectRelease(ports, target, answer(ASKER, 'wrong build'));
    expect(world.calls.continueServiceDeployment).toEqual([{ arn: arnOf(), hookId: HOOK, action: 'ROLLBACK' }]);
    expect(rejected.state).toBe('FAILED');
    expect(rejected.failure?.reason).toMatch(/^service wsgi: approval rejected by .*cgap-release: ECS rolled/);
    expect(world.release(release.id)?.timeline.map((entry) => entry.step)).toContain('gate approval rejected');
    expect(world.state.locks.leases.has(PROD)).toBe(false);
    expect(world.calls.notices).toContainEqual(expect.objectContaining({ event: 'approval-rejected' }));
  });

  it('an expiry is ECS’s timeout action: the release says the approval expired', async () => {
    const { world, target, release, arnOf, pause } = pausingWorld();
    await deployVersion(world.ports('req-1'), target, ask);
    pause();
    await reconcileEnvironment(world.ports('tick-1'), target, 'tick-1');
    world.advance(61 * 60_000);
    world.aws.serviceDeployments.set(arnOf(), {
      arn: arnOf(),
      status: 'ROLLBACK_SUCCESSFUL',
      rollbackReason: 'lifecycle hook timed out',
      pauses: [{ hookId: HOOK, status: 'TIMED_OUT', timeoutAction: 'ROLLBACK' }],
    });
    await reconcileEnvironment(world.ports('tick-2'), target, 'tick-2');
    const failed = world.release(release.id);
    expect(failed?.state).toBe('FAILED');
    expect(failed?.failure?.reason).toMatch(/^approval expired: service wsgi: ECS rolled the deployment back/);
    expect(failed?.timeline.find((entry) => entry.step === 'gate approval expired')?.detail).toContain(
      'ECS took its timeout action ROLLBACK',
    );
    // The step's own timeout did not fire meanwhile: the approval's wait is allowed on top of it.
    expect(failed?.failure?.kind).toBe('service');
  });

  it('notices a pause answered in ECS itself, and lets an abort stop a paused deployment', async () => {
    const { world, target, release, ports, arnOf, pause } = pausingWorld();
    await deployVersion(ports, target, ask);
    pause();
    await reconcileEnvironment(world.ports('tick-1'), target, 'tick-1');
    world.aws.serviceDeployments.set(arnOf(), {
      arn: arnOf(),
      status: 'IN_PROGRESS',
      lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
      pauses: [{ hookId: HOOK, status: 'SUCCEEDED' }],
    });
    await reconcileEnvironment(world.ports('tick-2'), target, 'tick-2');
    const resumed = world.release(release.id);
    expect(resumed?.state).toBe('DEPLOYING');
    expect(resumed?.timeline.map((entry) => entry.step)).toContain('gate approval answered in ECS');

    // The next deploy pauses too; an abort there stops the paused deployment and drops the wait.
    const next = pausingWorld();
    await deployVersion(next.ports, next.target, ask);
    next.pause();
    await reconcileEnvironment(next.world.ports('tick-1'), next.target, 'tick-1');
    const aborted = await abortRelease(next.ports, next.target, { by: APPROVER });
    expect(next.world.calls.stopServiceDeployment).toEqual([next.arnOf()]);
    expect(aborted).toMatchObject({ state: 'FAILED', failure: { kind: 'aborted' } });
    expect(aborted.approval).toBeUndefined();
  });
});
