import { describe, expect, it } from 'vitest';
import type { EnvironmentStatus } from '../../../../src/console/web/api-types.js';
import { cardHealth } from '../../../../src/console/web/views/card-health.js';

const V16 = 'rel-16161616161616161616';
const V17 = 'rel-17171717171717171717';
const summary = (id: string, version: string, state: 'FAILED' | 'COMPLETED') => ({
  id,
  version,
  state,
  currentStep: null,
  updatedAt: '2026-11-25T16:00:00.000Z',
});
const base: EnvironmentStatus = {
  name: 'cgap-mastertest',
  cluster: 'cgap-mastertest',
  state: 'running',
  health: 'Healthy',
  healthReason: 'every service runs 1.7.0',
  nextStep: null,
  rollbackTo: null,
  activeRelease: null,
  currentRelease: null,
  latestRelease: null,
  running: null,
  routineRedeploy: null,
  services: [],
  queues: [],
};

/** The status while `version` (its release `id`, in `state`) runs, newest and current. */
function running(id: string, version: string, state: 'FAILED' | 'COMPLETED', extra: Partial<EnvironmentStatus> = {}) {
  const release = summary(id, version, state);
  const status: EnvironmentStatus = { ...base, latestRelease: release, currentRelease: release, ...extra };
  return { ...status, running: { version, releaseId: id, digest: 'sha256:x' } };
}

describe('the environment card, from what runs', () => {
  it('after fail-then-succeed: green, the failure left in history', () => {
    // 1.6.0 failed; 1.7.0 deployed after it and runs: the card is not red, and shows no failure.
    const status = running(V17, '1.7.0', 'COMPLETED');
    expect(cardHealth(status)).toEqual({
      bad: false,
      line: 'Healthy: every service runs 1.7.0',
      failedRunningId: undefined,
      nextStep: null,
    });
  });

  it('while a failed release runs: red, why, and the next step', () => {
    const status = running(V16, '1.6.0', 'FAILED', {
      health: 'Degraded',
      healthReason: 'it runs 1.6.0, whose rollout failed',
      nextStep: 'ecs-conductor rollback cgap-mastertest   (back to 1.5.0)',
    });
    expect(cardHealth(status)).toEqual({
      bad: true,
      line: 'Degraded: it runs 1.6.0, whose rollout failed',
      failedRunningId: V16,
      nextStep: 'ecs-conductor rollback cgap-mastertest   (back to 1.5.0)',
    });
  });
});
