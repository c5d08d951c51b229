import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { loadHookTargets } from '../../../src/config/runtime.js';
import { problemsOf } from '../../support/config-problems.js';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:';
const strategy = {
  type: 'BLUE_GREEN',
  alternateTargetGroupArn: `${LB}targetgroup/green/1`,
  productionListenerRule: `${LB}listener-rule/app/alb/1/prod`,
  testListenerRule: `${LB}listener-rule/app/alb/1/test`,
  roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
  smokeCheck: { testListenerUrl: 'http://internal-alb:8080' },
};
const documentWith = (wsgiStrategy: unknown) => ({
  environments: {
    prod: {
      repository: 'app',
      image: { shape: 'single-image' },
      cluster: 'prod',
      services: { wsgi: { service: 'prod-wsgi', desiredCount: 2, strategy: wsgiStrategy } },
    },
  },
});

describe('services.<key>.strategy', () => {
  it('takes a blue/green strategy with its defaults: 10 min bake, smoke check of /health expecting 200', () => {
    const config = parseConductorConfig(documentWith(strategy));
    expect(config.environments.prod?.services.wsgi?.strategy).toEqual({
      ...strategy,
      bakeTimeInMinutes: 10,
      smokeCheck: {
        testListenerUrl: 'http://internal-alb:8080',
        path: '/health',
        expectedStatus: 200,
        timeoutSeconds: 5,
        attempts: 3,
        retryDelaySeconds: 15,
      },
    });
  });

  it('gives CANARY and LINEAR their ECS defaults when their settings are left out', () => {
    const canary = parseConductorConfig(documentWith({ ...strategy, type: 'CANARY' }));
    expect(canary.environments.prod?.services.wsgi?.strategy?.canary).toEqual({ percent: 5, bakeTimeInMinutes: 10 });
    const linear = parseConductorConfig(documentWith({ ...strategy, type: 'LINEAR' }));
    expect(linear.environments.prod?.services.wsgi?.strategy?.linear).toEqual({
      stepPercent: 10,
      stepBakeTimeInMinutes: 6,
    });
  });

  it('names each problem with its path', () => {
    expect(
      problemsOf(
        documentWith({
          ...strategy,
          type: 'BLUE_GREEN',
          canary: { percent: 200 },
          alternateTargetGroupArn: 'green',
          testListenerRule: undefined,
          bakeTimeInMinutes: 2000,
        }),
      ),
    ).toEqual([
      expect.stringMatching(/environments\.prod\.services\.wsgi\.strategy\.bakeTimeInMinutes.*1440/),
      expect.stringMatching(/strategy\.canary\.percent.*100/),
      'environments.prod.services.wsgi.strategy.alternateTargetGroupArn: must be the ARN of a target group',
      'environments.prod.services.wsgi.strategy.canary: applies to type CANARY only, not BLUE_GREEN',
      'environments.prod.services.wsgi.strategy.testListenerRule: is needed for a smoke check: it routes test traffic to the new revision',
    ]);
    expect(problemsOf(documentWith({ ...strategy, type: 'ROLLING' }))).toEqual([
      expect.stringMatching(/strategy\.type.*"BLUE_GREEN"\|"LINEAR"\|"CANARY"/),
    ]);
    expect(problemsOf(documentWith({ ...strategy, linear: {}, testListenerRule: undefined }))).toEqual([
      'environments.prod.services.wsgi.strategy.linear: applies to type LINEAR only, not BLUE_GREEN',
      'environments.prod.services.wsgi.strategy.testListenerRule: is needed for a smoke check: it routes test traffic to the new revision',
    ]);
  });
});

describe('loadHookTargets', () => {
  it('reads the hook function and role ARNs serverless.yml gives', () => {
    const targets = {
      CONDUCTOR_HOOK_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:210987654321:function:ecs-conductor-prod-deploymentHook',
      CONDUCTOR_HOOK_ROLE_ARN: 'arn:aws:iam::210987654321:role/ecs-conductor-prod-deployment-hook',
    };
    expect(loadHookTargets(targets)).toEqual({
      functionArn: targets.CONDUCTOR_HOOK_FUNCTION_ARN,
      roleArn: targets.CONDUCTOR_HOOK_ROLE_ARN,
    });
  });

  it('names the local function under serverless-offline, and refuses to guess in AWS', () => {
    expect(loadHookTargets({ IS_OFFLINE: 'true', CONDUCTOR_STAGE: 'local', AWS_REGION: 'us-east-1' }).functionArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:ecs-conductor-local-deploymentHook',
    );
    expect(() => loadHookTargets({ CONDUCTOR_HOOK_FUNCTION_ARN: '[object Object]' })).toThrow(
      /CONDUCTOR_HOOK_FUNCTION_ARN: must be the ARN of the deployment hook Lambda/,
    );
  });
});
