import { approveRelease } from '../../../src/use-cases/approve-release.js';
import { describe, expect, it } from 'vitest';
import type { GateSettings } from '../../../src/domain/gates.js';
import type { Release } from '../../../src/domain/release.js';
import { autoDeployRelease } from '../../../src/use-cases/auto-deploy-release.js';
import { deployVersion } from '../../../src/use-cases/deploy-version.js';
import { GateRefusedError, OverrideNotAllowedError } from '../../../src/use-cases/errors.js';
import { inMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, completedRelease, named } from '../../support/release-fixtures.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const STAGING = 'cgap-mastertest';
const PROD = 'cgap-prod';
const RELEASER = 'arn:aws:iam::123456789012:role/cgap-release';
const ONCALL = 'arn:aws:sts::123456789012:assumed-role/cgap-oncall/alice';
const ONCALL_ROLE = 'arn:aws:iam::123456789012:role/cgap-oncall';

function gated(gates: GateSettings) {
  const target = named(PROD);
  return { ...target, env: { ...target.env, gates } };
}

function world(releases: Release[]) {
  const w = inMemoryWorld({ now: T0 });
  for (const release of releases) w.put(release);
  return { w, ports: w.ports('req-1') };
}

const request = { version: '1.4.0', triggeredBy: RELEASER, requestId: 'req-1' };
const digestsOf = (release: Release) => [...new Set(Object.values(release.builds).map((build) => build.digest ?? ''))];
const scanGate = { scan: { failAt: 'CRITICAL' as const, waitSeconds: 0, scanner: 'basic' as const }, override: [] };

describe('release gates on deploy', () => {
  it('scan: passes an image without findings at the threshold and records the pass in the timeline', async () => {
    const release = builtRelease(PROD, '1.4.0', T0);
    const { w, ports } = world([release]);
    for (const digest of digestsOf(release)) w.aws.scans.set(digest, { status: 'COMPLETE', counts: { HIGH: 2 } });
    const started = await deployVersion(ports, gated(scanGate), request);
    expect(started.state).toBe('DEPLOYING');
    expect(started.rollout?.gates).toEqual([expect.objectContaining({ gate: 'scan', outcome: 'passed' })]);
    const timeline = w.release(release.id)?.timeline ?? [];
    const passAt = timeline.findIndex((entry) => entry.step === 'gate scan passed');
    expect(timeline[passAt + 1]?.step).toBe('deploy started');
    expect(timeline[passAt]?.detail).toContain('HIGH 2 (gate at CRITICAL)');
  });

  it('scan: refuses an image with a critical finding, naming the gate and its evidence, and rolls nothing out', async () => {
    const release = builtRelease(PROD, '1.4.0', T0);
    const { w, ports } = world([release]);
    const [first] = digestsOf(release);
    for (const digest of digestsOf(release)) w.aws.scans.set(digest, { status: 'COMPLETE', counts: {} });
    w.aws.scans.set(first ?? '', { status: 'COMPLETE', counts: { CRITICAL: 1 } });
    const refusal = await deployVersion(ports, gated(scanGate), request).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GateRefusedError);
    expect(refusal).toMatchObject({
      gate: 'scan',
      evidence: `image cgap-prod@${first} has findings at or above CRITICAL: CRITICAL 1`,
    });
    expect(w.calls.updateService).toEqual([]);
    expect(w.calls.runTask).toEqual([]);
    expect(w.release(release.id)?.state).toBe('BUILT');
  });

  it('scan: refuses an image never scanned (fails closed)', async () => {
    const { ports } = world([builtRelease(PROD, '1.4.0', T0)]);
    await expect(deployVersion(ports, gated(scanGate), request)).rejects.toMatchObject({
      gate: 'scan',
      evidence: expect.stringContaining('has no scan') as string,
    });
  });

  const promotion = { promoteFrom: STAGING, override: [] };

  it('promotion: passes a release whose digests completed in the source environment', async () => {
    const { w, ports } = world([completedRelease(STAGING, '1.4.0', T0), builtRelease(PROD, '1.4.0', T0)]);
    const started = await deployVersion(ports, gated(promotion), request);
    expect(started.rollout?.gates).toEqual([
      expect.objectContaining({
        gate: 'promotion',
        outcome: 'passed',
        evidence: expect.stringContaining(STAGING) as string,
      }),
    ]);
    expect(w.calls.updateService.length + w.calls.runTask.length).toBeGreaterThan(0);
  });

  it('promotion: refuses a release that did not complete in the source environment', async () => {
    const { w, ports } = world([builtRelease(STAGING, '1.4.0', T0), builtRelease(PROD, '1.4.0', T0)]);
    await expect(deployVersion(ports, gated(promotion), request)).rejects.toMatchObject({
      gate: 'promotion',
      evidence: expect.stringContaining('is BUILT') as string,
    });
    expect(w.calls.updateService).toEqual([]);
  });

  it('override: a principal on the list passes a refusing gate with a reason, in the timeline and a notice', async () => {
    const release = builtRelease(PROD, '1.4.0', T0);
    const { w, ports } = world([release]);
    const target = gated({ ...promotion, override: ['arn:aws:iam::123456789012:role/cgap-oncall'] });
    const reason = 'security fix, staging is down';
    const started = await deployVersion(ports, target, { ...request, triggeredBy: ONCALL, override: { reason } });
    expect(started.state).toBe('DEPLOYING');
    const entry = w.release(release.id)?.timeline.find((item) => item.step === 'gate promotion overridden');
    expect(entry?.detail).toContain(`overridden by ${ONCALL}: ${reason}`);
    expect(w.calls.notices).toContainEqual({
      releaseId: release.id,
      event: 'gate-overridden',
      details: expect.objectContaining({ gate: 'promotion', principal: ONCALL, reason }) as object,
    });
  });

  it('override with a deploy that waits for approval: in the timeline and a notice when given, once after the approval', async () => {
    const release = builtRelease(PROD, '1.4.0', T0);
    const { w, ports } = world([release]);
    const approval = { approve: [ONCALL_ROLE], fourEyes: false, expiresAfterMinutes: 60 };
    const target = gated({ ...promotion, approval, override: [ONCALL_ROLE] });
    const reason = 'security fix, staging is down';
    const overridden = (at: Release | undefined) =>
      at?.timeline.filter((item) => item.step === 'gate promotion overridden') ?? [];
    const overrideNotices = () => w.calls.notices.filter((notice) => notice.event === 'gate-overridden');

    const waiting = await deployVersion(ports, target, { ...request, triggeredBy: ONCALL, override: { reason } });
    expect(waiting.state).toBe('AWAITING_APPROVAL');
    expect(overridden(w.release(release.id)).map((item) => item.detail)).toEqual([
      expect.stringContaining(`overridden by ${ONCALL}: ${reason}`),
    ]);
    expect(overrideNotices()).toHaveLength(1);

    const started = await approveRelease(ports, target, {
      version: '1.4.0',
      principal: ONCALL,
      requestId: 'req-2',
    });
    expect(started.state).toBe('DEPLOYING');
    expect(overridden(w.release(release.id))).toHaveLength(1);
    expect(overrideNotices()).toHaveLength(1);
    expect(started.rollout?.gates).toContainEqual(
      expect.objectContaining({ gate: 'promotion', outcome: 'overridden' }),
    );
  });

  it('override: refused for a principal not on the list, before any gate is read', async () => {
    const { w, ports } = world([builtRelease(PROD, '1.4.0', T0)]);
    const target = gated({ ...promotion, override: ['arn:aws:iam::123456789012:role/cgap-oncall'] });
    await expect(
      deployVersion(ports, target, { ...request, override: { reason: 'because I can' } }),
    ).rejects.toBeInstanceOf(OverrideNotAllowedError);
    expect(w.calls.notices).toEqual([]);
  });

  it('an environment without gates rolls out as before, recording no gate', async () => {
    const { ports } = world([builtRelease(PROD, '1.4.0', T0)]);
    const started = await deployVersion(ports, named(PROD), request);
    expect(started.rollout?.gates).toBeUndefined();
  });
});

describe('release gates on auto-deploy', () => {
  it('defers an automatic deploy a gate refuses, with the gate’s evidence, and starts nothing', async () => {
    const target = named(STAGING);
    const release = builtRelease(STAGING, '0123abc', T0);
    const { w, ports } = world([release]);
    const gatedTarget = { ...target, env: { ...target.env, gates: scanGate } };
    const outcome = await autoDeployRelease(ports, gatedTarget, release, 'req-1');
    expect(outcome).toMatchObject({
      kind: 'deferred',
      releaseId: release.id,
      reason: expect.stringContaining('gate scan') as string,
    });
    expect(w.calls.updateService).toEqual([]);
  });
});

describe('deployment alarms', () => {
  it('sets each service’s alarms (the environment’s names, {service} filled in) as it rolls the service', async () => {
    const release = builtRelease(PROD, '1.4.0', T0);
    const { w, ports } = world([release]);
    const target = gated({ alarms: ['cgap-prod-{service}-5xx', 'cgap-prod-latency'], override: [] });
    for (const key of [...Object.keys(target.env.services), 'latency'])
      w.setAlarm(key === 'latency' ? 'cgap-prod-latency' : `cgap-prod-${key}-5xx`, 'OK');
    await deployVersion(ports, target, request);
    expect(w.calls.updateService.length).toBeGreaterThan(0);
    for (const call of w.calls.updateService) {
      const key = Object.entries(target.env.services).find(([, service]) => service.service === call.service)?.[0];
      expect(call.alarmNames).toEqual([`cgap-prod-${key ?? '?'}-5xx`, 'cgap-prod-latency']);
    }
  });

  it('refuses a deploy (gate alarms) naming each alarm CloudWatch does not have, even with an override, and rolls nothing out', async () => {
    const release = builtRelease(PROD, '1.4.0', T0);
    const { w, ports } = world([release]);
    const target = gated({ alarms: ['cgap-prod-{service}-5xx', 'cgap-prod-latency'], override: [ONCALL] });
    for (const key of Object.keys(target.env.services)) w.setAlarm(`cgap-prod-${key}-5xx`, 'OK');
    const asked = { ...request, triggeredBy: ONCALL, override: { reason: 'hotfix' } };
    const refusal = await deployVersion(ports, target, asked).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GateRefusedError);
    expect(refusal).toMatchObject({
      gate: 'alarms',
      evidence: 'CloudWatch has no alarm cgap-prod-latency (gates.alarms names it); create it or fix the name',
    });
    expect(w.calls.updateService).toEqual([]);
    expect(w.release(release.id)?.state).toBe('BUILT');
  });

  it('sets none where the environment names none', async () => {
    const { w, ports } = world([builtRelease(PROD, '1.4.0', T0)]);
    await deployVersion(ports, named(PROD), request);
    expect(w.calls.updateService.every((call) => call.alarmNames === undefined)).toBe(true);
    expect(w.calls.updateService.length).toBeGreaterThan(0);
  });
});
