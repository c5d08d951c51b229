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

  it('says an adopted environment whose routine task ECS showed no run of has it due, not "last ran at adoption"', () => {
    const routineRedeploy = {
      task: 'deployment',
      everyDays: 80,
      lastRunAt: null,
      nextDueAt: '2026-11-25T17:00:00.000Z',
      failuresInARow: 0,
      lastFailure: null,
    };
    expect(renderEnvironmentStatus({ ...degraded, routineRedeploy }).split('\n')).toContain(
      'routine deployment every 80 days: no run seen in ECS, due 2026-11-25 17:00:00 UTC',
    );
  });

  it('says why the last release failed and where the automatic rollback went, unless it is the active one', () => {
    const alarmed = {
      ...summary,
      state: 'ROLLED_BACK' as const,
      failure: `alarm cgap-wsgi-5xx went to ALARM at 2026-11-25T16:04:00.000Z; rolled back to 1.5.0 (${V15})`,
    };
    const text = renderEnvironmentStatus({ ...degraded, latestRelease: alarmed });
    // Longer than 100 columns: wrapped with a hanging indent.
    expect(text.replace(/\n\s+/g, ' ')).toContain(`last release 1.6.0 ROLLED_BACK: ${alarmed.failure}`);
    expect(text.split('\n').every((line) => line.length <= 100)).toBe(true);
    const active = { ...degraded, latestRelease: alarmed, activeRelease: alarmed };
    expect(renderEnvironmentStatus(active)).not.toContain('last release');
    expect(renderEnvironmentStatus(degraded)).not.toContain('last release');
  });

  it('fits 100 columns for a realistic environment: digests short, task counts in one column, reasons wrapped under the tables', () => {
    const account = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    const service = (key: string, running: number, desired: number, configured: number, revision: number) => ({
      key,
      name: `cgap-mastertest-${key}`,
      status: 'ACTIVE',
      version: key === 'ingester' ? null : '1.6.0',
      desiredCount: desired,
      runningCount: running,
      pendingCount: desired - running,
      configuredDesiredCount: configured,
      taskDefinition: {
        arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-portal-${key}:${String(revision)}`,
        family: `cgap-mastertest-portal-${key}`,
        revision,
      },
      image: {
        container: key,
        image: `${account}/cgap-mastertest@sha256:${'b'.repeat(64)}`,
        repository: `${account}/cgap-mastertest`,
        tag: null,
        digest: `sha256:${'b'.repeat(64)}`,
      },
      rolloutState: key === 'indexer' ? 'IN_PROGRESS' : 'COMPLETED',
      rolloutStateReason: null,
      deployments: 1,
    });
    const status: EnvironmentStatus = {
      ...degraded,
      healthReason:
        'it runs 1.6.0, whose services rolled out but whose deployment task exited 3 after the rollout; indexer is still rolling',
      nextStep: 'ecs-conductor rollback cgap-mastertest --confirm cgap-mastertest   (back to 1.5.0, what ran before)',
      routineRedeploy: {
        task: 'deployment',
        everyDays: 7,
        lastRunAt: '2026-11-18T16:00:00.000Z',
        nextDueAt: '2026-11-25T16:00:00.000Z',
        failuresInARow: 2,
        lastFailure: { at: '2026-11-25T16:00:00.000Z', reason: 'Essential container in task exited', releaseId: V16 },
      },
      services: [service('wsgi', 2, 2, 2, 41), service('indexer', 1, 4, 1, 17), service('ingester', 1, 1, 1, 9)],
      queues: [
        {
          key: 'indexer',
          queue: 'cgap-mastertest-indexer-queue',
          service: 'indexer',
          visible: 1250,
          inFlight: 10,
          delayed: 0,
          minTasks: 0,
          maxTasks: 8,
          lastDecision: {
            at: '2026-11-25T16:05:00.000Z',
            desiredCount: 4,
            reason:
              'backlog 1,250 messages at 300 per task-interval over the last 5 minutes asks for 4 tasks; step capped at +3 from 1 running',
          },
          hold: { desiredCount: 4, until: '2026-11-25T18:00:00.000Z', by: 'alice@example.org' },
          wakeups: null,
        },
        {
          key: 'ingestion',
          queue: 'cgap-mastertest-ingestion-queue',
          service: 'ingester',
          visible: 0,
          inFlight: 0,
          delayed: 0,
          minTasks: 0,
          maxTasks: 2,
          lastDecision: null,
          hold: null,
          wakeups: null,
        },
      ],
    };
    const text = renderEnvironmentStatus(status);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text).toBe(
      [
        'cgap-mastertest (cluster cgap-mastertest): running 1.6.0',
        'health Degraded: it runs 1.6.0, whose services rolled out but whose deployment task exited 3 after',
        '  the rollout; indexer is still rolling',
        `running 1.6.0 (${V16})`,
        `rollback would return every service to 1.5.0 (${V15})`,
        'next: ecs-conductor rollback cgap-mastertest --confirm cgap-mastertest   (back to 1.5.0, what ran',
        '  before)',
        'routine deployment every 7 days: last run 2026-11-18 16:00:00 UTC, next due 2026-11-25 16:00:00 UTC',
        '  — 2 failures in a row, last at 2026-11-25 16:00:00 UTC: Essential container in task exited',
        '',
        'SERVICE   STATUS  TASKS                      TASK DEF               IMAGE                ROLLOUT',
        'wsgi      ACTIVE  2/2                        cgap-maste…al-wsgi:41  1.6.0                COMPLETED',
        'indexer   ACTIVE  1/4 +3 pending (config 1)  cgap-maste…indexer:17  1.6.0                IN_PROGRESS',
        'ingester  ACTIVE  1/1                        cgap-maste…ingester:9  sha256:bbbbbbbbbbbb  COMPLETED',
        '',
        'QUEUE      SERVICE   VISIBLE  IN FLIGHT  DELAYED  TASKS',
        'indexer    indexer   1250     10         0        0-8',
        'ingestion  ingester  0        0          0        0-2',
        'indexer: 4 tasks at 2026-11-25 16:05:00 UTC: backlog 1,250 messages at 300 per task-interval over',
        '  the last 5 minutes asks for 4 tasks; step capped at +3 from 1 running',
        'indexer: held at 4 tasks until 2026-11-25 18:00:00 UTC (alice@example.org)',
        '',
      ].join('\n'),
    );
  });
});
