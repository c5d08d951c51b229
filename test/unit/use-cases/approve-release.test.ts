import { describe, expect, it } from 'vitest';
import type { GateSettings } from '../../../src/domain/gates.js';
import type { Release } from '../../../src/domain/release.js';
import { approveRelease, rejectRelease } from '../../../src/use-cases/approve-release.js';
import { autoDeployRelease } from '../../../src/use-cases/auto-deploy-release.js';
import { deployVersion } from '../../../src/use-cases/deploy-version.js';
import { ApprovalRefusedError } from '../../../src/use-cases/errors.js';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const PROD = 'cgap-prod';
const ASKER = 'arn:aws:iam::123456789012:role/cgap-release';
const APPROVER = 'arn:aws:sts::123456789012:assumed-role/cgap-approver/bob';
const STRANGER = 'arn:aws:iam::123456789012:role/cgap-developer';

const approval = (fourEyes: boolean): GateSettings => ({
  approval: { approve: ['arn:aws:iam::123456789012:role/cgap-approver', ASKER], fourEyes, expiresAfterMinutes: 60 },
  override: [],
});

function gatedWorld(gates: GateSettings, release: Release = builtRelease(PROD, '1.4.0', T0)) {
  const base = named(PROD);
  const target = { ...base, env: { ...base.env, gates } };
  const world = inMemoryWorld({ now: T0 });
  world.put(release);
  return { world, target, release, ports: world.ports('req-1') };
}

const ask = { version: '1.4.0', triggeredBy: ASKER, requestId: 'req-ask' };
const answer = (principal: string, reason?: string) => ({
  version: '1.4.0',
  principal,
  reason,
  requestId: 'req-answer',
});
const rolled = (world: ReturnType<typeof inMemoryWorld>) =>
  world.calls.updateService.length + world.calls.runTask.length;

describe('the approval gate', () => {
  it('holds a deploy AWAITING_APPROVAL with nothing rolled out, then rolls it out on approval', async () => {
    const { world, target, release, ports } = gatedWorld(approval(true));
    const waiting = await deployVersion(ports, target, ask);
    expect(waiting).toMatchObject({
      state: 'AWAITING_APPROVAL',
      approval: { requestedBy: ASKER, expiresAt: '2026-12-01T11:00:00.000Z', previousState: 'BUILT' },
    });
    expect(rolled(world)).toBe(0);
    expect(world.calls.notices).toContainEqual(expect.objectContaining({ event: 'awaiting-approval' }));

    world.advance(10 * 60_000);
    const started = await approveRelease(ports, target, answer(APPROVER, 'looks good'));
    expect(started.state).toBe('DEPLOYING');
    expect(started.approval).toBeUndefined();
    expect(started.rollout).toMatchObject({ triggeredBy: ASKER });
    expect(started.rollout?.gates).toEqual([
      {
        gate: 'approval',
        outcome: 'passed',
        evidence: `approved by ${APPROVER} at 2026-12-01T10:10:00.000Z (asked by ${ASKER}: looks good)`,
      },
    ]);
    expect(rolled(world)).toBeGreaterThan(0);
    const steps = world.release(release.id)?.timeline.map((entry) => entry.step);
    expect(steps).toEqual(expect.arrayContaining(['gate approval awaited', 'gate approval passed', 'deploy started']));
  });

  it('refuses the asker’s own approval when four eyes is on, and a principal not on the approve list', async () => {
    const { world, target, ports } = gatedWorld(approval(true));
    await deployVersion(ports, target, ask);
    await expect(approveRelease(ports, target, answer(ASKER))).rejects.toMatchObject({
      refusal: 'four-eyes',
      message: 'the deploy of 1.4.0 to cgap-prod must be approved by someone other than who asked for it (four eyes)',
    });
    await expect(approveRelease(ports, target, answer(STRANGER))).rejects.toMatchObject({ refusal: 'not-approver' });
    expect(rolled(world)).toBe(0);
  });

  it('lets the asker approve when four eyes is off', async () => {
    const { target, ports } = gatedWorld(approval(false));
    await deployVersion(ports, target, ask);
    expect((await approveRelease(ports, target, answer(ASKER))).state).toBe('DEPLOYING');
  });

  it('refuses an approval once the wait expired, and puts the release back where it was', async () => {
    const { world, target, release, ports } = gatedWorld(approval(false));
    await deployVersion(ports, target, ask);
    world.advance(60 * 60_000);
    const refusal = await approveRelease(ports, target, answer(APPROVER)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApprovalRefusedError);
    expect(refusal).toMatchObject({ refusal: 'expired' });
    expect(world.release(release.id)).toMatchObject({ state: 'BUILT' });
    expect(world.release(release.id)?.approval).toBeUndefined();
    expect(world.release(release.id)?.timeline.at(-1)?.step).toBe('gate approval expired');
    expect(rolled(world)).toBe(0);
  });

  it('ends an expired wait on reconcile', async () => {
    const { world, target, release, ports } = gatedWorld(approval(false));
    await deployVersion(ports, target, ask);
    world.advance(61 * 60_000);
    const report = await reconcileEnvironment(ports, target, 'req-tick');
    expect(report.approvalsExpired).toEqual([release.id]);
    expect(world.release(release.id)?.state).toBe('BUILT');
  });

  it('rejects: the release goes back to its state, with who and why, and a notice; nothing rolls out', async () => {
    const { world, target, release, ports } = gatedWorld(approval(true));
    await deployVersion(ports, target, ask);
    const rejected = await rejectRelease(ports, target, answer(APPROVER, 'not during the freeze'));
    expect(rejected.state).toBe('BUILT');
    expect(rejected.timeline.at(-1)).toMatchObject({
      step: 'gate approval rejected',
      detail: `rejected by ${APPROVER}: not during the freeze`,
    });
    expect(world.calls.notices).toContainEqual(
      expect.objectContaining({ releaseId: release.id, event: 'approval-rejected' }),
    );
    await expect(approveRelease(ports, target, answer(APPROVER))).rejects.toMatchObject({ refusal: 'not-awaiting' });
    expect(rolled(world)).toBe(0);
  });

  it('holds an automatic deploy at the gate too', async () => {
    const base = named('cgap-mastertest');
    const release = builtRelease('cgap-mastertest', '0123abc', T0);
    const world = inMemoryWorld({ now: T0 });
    world.put(release);
    const target = { ...base, env: { ...base.env, gates: approval(false) } };
    const outcome = await autoDeployRelease(world.ports('req-1'), target, release, 'req-1');
    expect(outcome).toMatchObject({ kind: 'started', release: { state: 'AWAITING_APPROVAL' } });
    expect(rolled(world)).toBe(0);
  });
});
