import type { Release } from '../../src/domain/release.js';
import { beginRollout } from '../../src/domain/rollout.js';
import { builtRelease } from './release-fixtures.js';
import type { NativeStrategy, SmokeCheck } from '../../src/domain/native-strategy.js';

/** An ELB ARN prefix in the test account. */
export const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:';

export const SMOKE_CHECK: SmokeCheck = {
  testListenerUrl: 'http://test-listener:8080',
  path: '/health',
  expectedStatus: 200,
  timeoutSeconds: 5,
  attempts: 3,
  retryDelaySeconds: 15,
};

/** A blue/green strategy with a smoke check, as a config would give it. */
export const BLUE_GREEN: NativeStrategy = {
  type: 'BLUE_GREEN',
  bakeTimeInMinutes: 10,
  alternateTargetGroupArn: `${LB}targetgroup/green/1`,
  productionListenerRule: `${LB}listener-rule/app/alb/1/prod`,
  testListenerRule: `${LB}listener-rule/app/alb/1/test`,
  roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
  smokeCheck: SMOKE_CHECK,
};

/** A built cgap-mastertest release whose rollout of `services` (wsgi by default) began at `at`. */
export function rollingRelease(at: Date, services = ['wsgi']): Release {
  return beginRollout(
    builtRelease('cgap-mastertest', '7.0.0', at),
    [{ kind: 'services', services }],
    { kind: 'deploy', triggeredBy: 'test', lockOwner: 'x@1' },
    at,
  );
}
