import { describe, expect, it } from 'vitest';
import {
  gatePasses,
  gateTimelineEntry,
  judgePromotion,
  judgeScan,
  mayOverride,
  type ScanGate,
} from '../../../src/domain/gates.js';
import type { Release } from '../../../src/domain/release.js';

const gate: ScanGate = { failAt: 'HIGH', waitSeconds: 30, scanner: 'basic' };
const IMAGE = 'app@sha256:aa';

describe('judgeScan', () => {
  it('passes a complete scan with findings only below the threshold, saying what it found', () => {
    expect(judgeScan(gate, IMAGE, { status: 'COMPLETE', counts: { MEDIUM: 3, LOW: 1 } })).toEqual({
      gate: 'scan',
      passed: true,
      evidence: 'image app@sha256:aa scanned: LOW 1, MEDIUM 3 (gate at HIGH)',
    });
    expect(judgeScan(gate, IMAGE, { status: 'COMPLETE', counts: {} }).evidence).toContain('no findings');
  });

  it.each([
    [{ HIGH: 1 }, 'HIGH 1'],
    [{ CRITICAL: 2, LOW: 4 }, 'LOW 4, CRITICAL 2'],
  ])('refuses findings at or above the threshold: %o', (counts, text) => {
    const verdict = judgeScan(gate, IMAGE, { status: 'COMPLETE', counts });
    expect(verdict.passed).toBe(false);
    expect(verdict.evidence).toBe(`image ${IMAGE} has findings at or above HIGH: ${text}`);
  });

  it.each([
    [undefined, 'has no scan'],
    ['IN_PROGRESS', 'is still being scanned after 30s'],
    ['FAILED', 'scan status is FAILED (basic scanning)'],
    ['UNSUPPORTED_IMAGE', 'scan status is UNSUPPORTED_IMAGE (basic scanning)'],
    // ACTIVE is an enhanced scan's result: a gate declaring basic scanning does not take it.
    ['ACTIVE', 'scan status is ACTIVE (basic scanning)'],
  ])('fails closed on a scan that is not complete: %s', (status, why) => {
    expect(judgeScan(gate, IMAGE, { status, counts: {} })).toEqual({
      gate: 'scan',
      passed: false,
      evidence: `image ${IMAGE} ${why}`,
    });
  });
});

describe('judgeScan of an enhanced (Inspector) scan', () => {
  const enhanced: ScanGate = { ...gate, scanner: 'enhanced' };

  it('judges ACTIVE (scanned, findings kept current) and COMPLETE by the same threshold as a basic scan', () => {
    expect(judgeScan(enhanced, IMAGE, { status: 'ACTIVE', counts: { MEDIUM: 2 } })).toMatchObject({ passed: true });
    expect(judgeScan(enhanced, IMAGE, { status: 'COMPLETE', counts: {} })).toMatchObject({ passed: true });
    expect(judgeScan(enhanced, IMAGE, { status: 'ACTIVE', counts: { CRITICAL: 1 } })).toEqual({
      gate: 'scan',
      passed: false,
      evidence: `image ${IMAGE} has findings at or above HIGH: CRITICAL 1`,
    });
  });

  it.each([
    ['PENDING', 'is still being scanned after 30s'],
    ['SCAN_ELIGIBILITY_EXPIRED', 'scan status is SCAN_ELIGIBILITY_EXPIRED (enhanced scanning)'],
    ['FINDINGS_UNAVAILABLE', 'scan status is FINDINGS_UNAVAILABLE (enhanced scanning)'],
  ])('fails closed on %s', (status, why) => {
    expect(judgeScan(enhanced, IMAGE, { status, counts: {} }).evidence).toBe(`image ${IMAGE} ${why}`);
  });
});

const builds = (digest: string): Release['builds'] => ({
  wsgi: { imageTag: '1.4.0-wsgi', status: 'SUCCEEDED', digest: `sha256:${digest}1` },
  indexer: { imageTag: '1.4.0-indexer', status: 'SUCCEEDED', digest: `sha256:${digest}2` },
});

describe('judgePromotion', () => {
  const release = { version: '1.4.0', builds: builds('a') };

  it('passes when a release with the same digests completed in the source environment', () => {
    const verdict = judgePromotion('staging', release, [
      { id: 'rel-other', builds: builds('b'), state: 'COMPLETED' },
      { id: 'rel-same', builds: builds('a'), state: 'COMPLETED', completedAt: '2026-12-01T10:00:00.000Z' },
    ]);
    expect(verdict).toEqual({
      gate: 'promotion',
      passed: true,
      evidence: 'release rel-same with the same digests completed in staging at 2026-12-01T10:00:00.000Z',
    });
  });

  it('refuses a release that ran in the source environment but did not complete there', () => {
    const verdict = judgePromotion('staging', release, [{ id: 'rel-same', builds: builds('a'), state: 'ROLLED_BACK' }]);
    expect(verdict.passed).toBe(false);
    expect(verdict.evidence).toBe(
      'no release of 1.4.0 with the same digests completed in staging (rel-same is ROLLED_BACK)',
    );
  });

  it('refuses other digests under the same version, and an image that never ran there', () => {
    expect(
      judgePromotion('staging', release, [{ id: 'rel-b', builds: builds('b'), state: 'COMPLETED' }]),
    ).toMatchObject({ passed: false, evidence: 'version 1.4.0 with these digests never ran in staging' });
    const partial = { id: 'rel-part', state: 'COMPLETED' as const, builds: { wsgi: { digest: 'sha256:a1' } } };
    expect(judgePromotion('staging', release, [partial]).passed).toBe(false);
    expect(
      judgePromotion('staging', { version: '1', builds: {} }, [{ id: 'x', builds: {}, state: 'COMPLETED' }]).passed,
    ).toBe(false);
  });
});

describe('overrides', () => {
  const ops = 'arn:aws:iam::123456789012:role/ops-*';
  const refused = { gate: 'scan' as const, passed: false, evidence: 'CRITICAL 1' };
  const passed = { gate: 'promotion' as const, passed: true, evidence: 'completed in staging' };

  it('lets only principals on the override list (their assumed-role sessions too) override', () => {
    const gates = { override: [ops] };
    expect(mayOverride(gates, 'arn:aws:sts::123456789012:assumed-role/ops-oncall/alice')).toBe(true);
    expect(mayOverride(gates, 'arn:aws:iam::123456789012:role/dev')).toBe(false);
    expect(mayOverride({ override: [] }, 'arn:aws:iam::123456789012:role/ops-x')).toBe(false);
  });

  it('returns the first refusal without an override, and records each refusal as overridden with one', () => {
    expect(gatePasses([passed, refused], undefined)).toEqual({ passes: [], refused });
    const override = { principal: 'arn:aws:iam::123456789012:role/ops-x', reason: 'hotfix for outage' };
    const { passes, refused: left } = gatePasses([passed, refused], override);
    expect(left).toBeUndefined();
    expect(passes).toEqual([
      { gate: 'promotion', outcome: 'passed', evidence: 'completed in staging' },
      { gate: 'scan', outcome: 'overridden', evidence: 'CRITICAL 1', override },
    ]);
    expect(passes.map(gateTimelineEntry)).toEqual([
      { step: 'gate promotion passed', detail: 'completed in staging' },
      {
        step: 'gate scan overridden',
        detail: 'CRITICAL 1; overridden by arn:aws:iam::123456789012:role/ops-x: hotfix for outage',
      },
    ]);
  });
});
