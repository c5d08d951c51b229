import { describe, expect, it } from 'vitest';
import {
  afterRerunFailure,
  deploymentRerunDue,
  nextRerunAt,
  rerunBackoffMs,
  rerunEveryDays,
  type RerunSchedule,
} from '../../../src/domain/auto-deploy.js';
import { environment } from '../../support/release-fixtures.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-25T16:00:00Z');
const env = environment('cgap-mastertest');
const withoutDays = { ...env, rollout: { ...env.rollout, rerunDeploymentEveryDays: undefined } };
const withoutTask = { ...env, rollout: { ...env.rollout, deploymentTask: undefined } };

describe('routine re-runs of the deployment task', () => {
  it('are due every 80 days by default when a routine task is configured, never without one', () => {
    expect(rerunEveryDays(withoutDays)).toBe(80);
    expect(rerunEveryDays(withoutTask)).toBeUndefined();
    const ranAt = new Date(T0.getTime() - 80 * 24 * HOUR).toISOString();
    expect(deploymentRerunDue(withoutDays, { deploymentTaskRunAt: ranAt }, T0)).toBe(true);
    expect(deploymentRerunDue(withoutTask, { deploymentTaskRunAt: ranAt }, T0)).toBe(false);
    expect(nextRerunAt(withoutDays, { deploymentTaskRunAt: T0.toISOString() })).toBe('2027-02-13T16:00:00.000Z');
  });

  it('are due an hour after the adoption when no run is known (ECS showed none), not a whole interval later', () => {
    const unknown: RerunSchedule = { deploymentTaskRunAt: null, since: T0.toISOString() };
    expect(nextRerunAt(env, unknown)).toBe(new Date(T0.getTime() + HOUR).toISOString());
    expect(deploymentRerunDue(env, unknown, new Date(T0.getTime() + HOUR - 1))).toBe(false);
    expect(deploymentRerunDue(env, unknown, new Date(T0.getTime() + HOUR))).toBe(true);
    expect(deploymentRerunDue(env, { deploymentTaskRunAt: null }, T0)).toBe(true);
    expect(deploymentRerunDue(withoutTask, unknown, new Date(T0.getTime() + HOUR))).toBe(false);
    // A failed re-run of it still backs off.
    const failed = afterRerunFailure(unknown, { reason: 'exit 3', releaseId: 'rel-1' }, new Date(T0.getTime() + HOUR));
    expect(deploymentRerunDue(env, failed, new Date(T0.getTime() + 2 * HOUR - 1))).toBe(false);
  });

  it('back off after failures: 1 h, 2 h, 4 h … capped at 24 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((failures) => rerunBackoffMs(failures) / HOUR)).toEqual([
      1, 2, 4, 8, 16, 24, 24, 24,
    ]);
  });

  it('wait one backoff step after each failure, counting failures in a row', () => {
    const schedule: RerunSchedule = { deploymentTaskRunAt: '2026-09-01T00:00:00.000Z' };
    const once = afterRerunFailure(schedule, { reason: 'exit 3', releaseId: 'rel-1' }, T0);
    expect(once.rerunRetry).toEqual({
      failures: 1,
      nextTryAt: '2026-11-25T17:00:00.000Z',
      lastFailure: { at: T0.toISOString(), reason: 'exit 3', releaseId: 'rel-1' },
    });
    expect(deploymentRerunDue(env, once, new Date(T0.getTime() + HOUR - 1))).toBe(false);
    expect(deploymentRerunDue(env, once, new Date(T0.getTime() + HOUR))).toBe(true);
    const twice = afterRerunFailure(once, { reason: 'exit 3', releaseId: 'rel-1' }, new Date(T0.getTime() + HOUR));
    expect(twice.rerunRetry?.failures).toBe(2);
    expect(nextRerunAt(env, twice)).toBe('2026-11-25T19:00:00.000Z');
    // The old run date no longer decides while a retry is pending.
    expect(deploymentRerunDue(env, twice, new Date(T0.getTime() + 2 * HOUR))).toBe(false);
  });
});
