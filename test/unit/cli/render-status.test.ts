import { describe, expect, it } from 'vitest';
import { renderEnvironmentStatus } from '../../../src/cli/render-status.js';
import type { EnvironmentStatus } from '../../../src/domain/environment-status.js';

const V16 = 'rel-16161616161616161616';
const V15 = 'rel-15151515151515151515';
const summary = {
  id: V16,
  version: '1.6.0',
  state: 'FAILED' as const,
  currentStep: 'release failed',
  updatedAt: '2026-11-25T16:00:00.000Z',
};

/** After 1.6.0's services rolled and its deployment task failed: what runs is 1.6.0, Degraded. */
const degraded: EnvironmentStatus = {
  name: 'cgap-mastertest',
  cluster: 'cgap-mastertest',
  state: 'running 1.6.0',
  health: 'Degraded',
  healthReason: 'it runs 1.6.0, whose rollout failed\x1b[2J',
  nextStep: 'ecs-conductor rollback cgap-mastertest   (back to 1.5.0)',
  rollbackTo: { version: '1.5.0', releaseId: V15 },
  activeRelease: null,
  currentRelease: summary,
  latestRelease: summary,
  running: { version: '1.6.0', releaseId: V16, digest: `sha256:${'a'.repeat(64)}` },
  routineRedeploy: null,
  deploymentGate: { blind: false },
  services: [],
  queues: [],
};

describe('status as a person reads it', () => {
  it('says the health from what runs, what rollback would do and the next step, with escapes made visible', () => {
    const lines = renderEnvironmentStatus(degraded).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'cgap-mastertest (cluster cgap-mastertest): running 1.6.0',
      'health Degraded: it runs 1.6.0, whose rollout failed\\x1b[2J',
      `running 1.6.0 (${V16})`,
      `rollback would return every service to 1.5.0 (${V15})`,
      'next: ecs-conductor rollback cgap-mastertest   (back to 1.5.0)',
    ]);
  });
});
