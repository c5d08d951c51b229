import { describe, expect, it } from 'vitest';
import { decideRollout } from '../../../src/domain/decide-rollout.js';
import {
  nativeDeploymentsToStop,
  nativeVerdict,
  smokeAnswer,
  smokeSummary,
} from '../../../src/domain/native-deployment.js';
import { hookStages } from '../../../src/domain/native-strategy.js';
import { serviceRolling } from '../../../src/domain/rollout.js';
import type { Environment } from '../../../src/domain/environment.js';
import { rollingRelease, BLUE_GREEN, SMOKE_CHECK } from '../../support/native-strategy.js';
import { environment } from '../../support/release-fixtures.js';

const check = SMOKE_CHECK;
const strategy = BLUE_GREEN;

const base = environment('cgap-mastertest');
const env: Environment = {
  ...base,
  services: { wsgi: { ...(base.services.wsgi as NonNullable<typeof base.services.wsgi>), strategy } },
  rollout: { ...base.rollout, services: ['wsgi'], deploymentTask: undefined },
};
const t0 = new Date('2026-12-06T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/cluster/wsgi/abc';

/** A release whose wsgi step started a blue/green deployment. */
function rollingNatively() {
  const started = rollingRelease(t0);
  return serviceRolling(started, 'wsgi', 'td/wsgi:2', 'ecs-svc/1', at(1), {
    serviceDeploymentArn: ARN,
    strategy: 'BLUE_GREEN',
  });
}

/** What DescribeServices and DescribeServiceDeployments say of wsgi. */
const observe = (status: string, extra: Record<string, string> = {}) => ({
  services: {
    wsgi: {
      taskDefinitionArn: 'td/wsgi:2',
      // A rolling deployment's "completed" says nothing about a native one: it must not end the step.
      deployments: [{ id: 'ecs-svc/1', rolloutState: 'COMPLETED' }],
      serviceDeployment: { arn: ARN, status, ...extra },
    },
  },
});

describe('native deployment stages → the rollout step', () => {
  it('stays in the step while ECS moves through its stages, recording each stage once in the timeline', () => {
    const release = rollingNatively();
    const testShift = decideRollout(
      release,
      env,
      observe('IN_PROGRESS', { lifecycleStage: 'TEST_TRAFFIC_SHIFT' }),
      at(10),
    );
    expect(testShift.release.state).toBe('DEPLOYING');
    expect(testShift.release.rollout?.services.wsgi).toMatchObject({ state: 'UPDATING', stage: 'TEST_TRAFFIC_SHIFT' });
    const again = decideRollout(
      testShift.release,
      env,
      observe('IN_PROGRESS', { lifecycleStage: 'TEST_TRAFFIC_SHIFT' }),
      at(11),
    );
    const bake = decideRollout(again.release, env, observe('IN_PROGRESS', { lifecycleStage: 'BAKE_TIME' }), at(20));
    const stages = bake.release.timeline.filter((entry) => entry.step.startsWith('service wsgi')).map((e) => e.step);
    expect(stages).toEqual(['service wsgi rolling', 'service wsgi: TEST_TRAFFIC_SHIFT', 'service wsgi: BAKE_TIME']);
  });

  it('completes the release only when the service deployment is SUCCESSFUL', () => {
    const done = decideRollout(rollingNatively(), env, observe('SUCCESSFUL'), at(30));
    expect(done.release.state).toBe('COMPLETED');
  });

  it.each([
    [
      'ROLLBACK_SUCCESSFUL',
      'ECS rolled the deployment back (ROLLBACK_SUCCESSFUL): hook failed at POST_TEST_TRAFFIC_SHIFT',
    ],
    [
      'ROLLBACK_IN_PROGRESS',
      'ECS rolled the deployment back (ROLLBACK_IN_PROGRESS): hook failed at POST_TEST_TRAFFIC_SHIFT',
    ],
    ['STOPPED', 'the deployment stopped (STOPPED): hook failed at POST_TEST_TRAFFIC_SHIFT'],
  ])('fails the release when ECS reports %s, with its reason', (status, reason) => {
    const failed = decideRollout(
      rollingNatively(),
      env,
      observe(status, { rollbackReason: 'hook failed at POST_TEST_TRAFFIC_SHIFT' }),
      at(30),
    );
    expect(failed.release.state).toBe('FAILED');
    expect(failed.release.failure).toMatchObject({ kind: 'service', reason: `service wsgi: ${reason}` });
    expect(nativeDeploymentsToStop(failed.release)).toEqual([]);
  });

  it('leaves a deployment that timed out moving, for the conductor to stop and roll back', () => {
    const stuck = decideRollout(rollingNatively(), env, observe('IN_PROGRESS'), at(31 * 60));
    expect(stuck.release.failure?.kind).toBe('timeout');
    expect(nativeDeploymentsToStop(stuck.release)).toEqual([ARN]);
  });

  it('reads statuses as ECS names them', () => {
    expect(nativeVerdict({ arn: ARN, status: 'PENDING' })).toEqual({ kind: 'moving', stage: undefined });
    expect(nativeVerdict({ arn: ARN, status: 'STOP_REQUESTED', statusReason: 'asked' })).toEqual({
      kind: 'failed',
      reason: 'the deployment stopped (STOP_REQUESTED): asked',
    });
  });
});

describe('the smoke check hook', () => {
  it('answers at POST_TEST_TRAFFIC_SHIFT only when a smoke check is configured', () => {
    expect(hookStages(strategy)).toEqual(['POST_TEST_TRAFFIC_SHIFT']);
    expect(hookStages({ ...strategy, smokeCheck: undefined })).toEqual([]);
  });

  it('passes on the expected status and fails at once on another', () => {
    expect(smokeAnswer(check, { kind: 'answered', status: 200 }, 1)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(smokeAnswer(check, { kind: 'answered', status: 503 }, 1)).toEqual({ hookStatus: 'FAILED' });
  });

  it('asks ECS to call again while the listener is unreachable, then fails after the last attempt', () => {
    const unreachable = { kind: 'unreachable' as const, error: 'ECONNREFUSED' };
    expect(smokeAnswer(check, unreachable, 1)).toEqual({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: 15,
      hookDetails: { attempt: 2 },
    });
    expect(smokeAnswer(check, unreachable, 3)).toEqual({ hookStatus: 'FAILED' });
  });

  it('says what it saw in the timeline line', () => {
    const passed = { kind: 'answered' as const, status: 200 };
    expect(smokeSummary(check, passed, smokeAnswer(check, passed, 1))).toBe(
      'smoke check passed (200 /health, expected 200)',
    );
    const down = { kind: 'unreachable' as const, error: 'ECONNREFUSED' };
    expect(smokeSummary(check, down, smokeAnswer(check, down, 1))).toBe(
      'smoke check to be tried again in 15 s (unreachable: ECONNREFUSED /health, expected 200)',
    );
  });
});
