import 'aws-sdk-client-mock-vitest/extend';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  StopServiceDeploymentCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcsAdapter } from '../../../src/aws/ecs.js';
import { AwsCallError } from '../../../src/aws/errors.js';
import type { NativeStrategy } from '../../../src/domain/native-strategy.js';
import type { NativeDeploymentRequest } from '../../../src/use-cases/ports.js';
import { BLUE_GREEN, LB } from '../../support/native-strategy.js';

const client = new ECSClient({});
const mock = mockClient(client);
const hooks = {
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ecs-conductor-prod-deploymentHook',
  roleArn: 'arn:aws:iam::123456789012:role/ecs-conductor-prod-deployment-hook',
};
const ecs = createEcsAdapter(client, () => hooks);
const strategy: NativeStrategy = { ...BLUE_GREEN, bakeTimeInMinutes: 15 };
const SERVICE_DEPLOYMENT = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/wsgi/abc';
const blue = { targetGroupArn: `${LB}targetgroup/blue/1`, containerName: 'app', containerPort: 8000 };

beforeEach(() => {
  mock.reset();
});

/** The UpdateService a native deployment of wsgi (no load balancer) sends, with `change` to the request. */
async function sentUpdate(change: Partial<NativeDeploymentRequest>) {
  mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'wsgi' }] });
  mock.on(UpdateServiceCommand).resolves({ service: { currentServiceDeployment: SERVICE_DEPLOYMENT } });
  await ecs.startNativeDeployment({
    cluster: 'prod',
    service: 'wsgi',
    taskDefinitionArn: 'td/wsgi:3',
    strategy,
    alarmNames: [],
    ...change,
  });
  return mock.commandCalls(UpdateServiceCommand)[0]?.args[0].input;
}

describe('startNativeDeployment', () => {
  it('sends the strategy, bake time, the hook at POST_TEST_TRAFFIC_SHIFT, alarms and each load balancer’s advanced configuration', async () => {
    mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'wsgi', loadBalancers: [blue] }] });
    mock.on(UpdateServiceCommand).resolves({
      service: {
        serviceName: 'wsgi',
        taskDefinition: 'td/wsgi:3',
        currentServiceDeployment: SERVICE_DEPLOYMENT,
        deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY', taskDefinition: 'td/wsgi:3' }],
      },
    });
    const started = await ecs.startNativeDeployment({
      cluster: 'prod',
      service: 'wsgi',
      taskDefinitionArn: 'td/wsgi:3',
      strategy,
      alarmNames: ['prod-wsgi-5xx'],
    });

    expect(started).toMatchObject({ serviceDeploymentArn: SERVICE_DEPLOYMENT, deploymentId: 'ecs-svc/9' });
    expect(mock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'prod',
      service: 'wsgi',
      taskDefinition: 'td/wsgi:3',
      forceNewDeployment: true,
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 15,
        lifecycleHooks: [
          {
            targetType: 'AWS_LAMBDA',
            hookTargetArn: hooks.functionArn,
            roleArn: hooks.roleArn,
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
          },
        ],
        alarms: { alarmNames: ['prod-wsgi-5xx'], enable: true, rollback: true },
      },
      loadBalancers: [
        {
          ...blue,
          advancedConfiguration: {
            alternateTargetGroupArn: strategy.alternateTargetGroupArn,
            productionListenerRule: strategy.productionListenerRule,
            testListenerRule: strategy.testListenerRule,
            roleArn: strategy.roleArn,
          },
        },
      ],
    });
  });

  it('sends the canary and linear settings of those strategies, and no hook without a smoke check', async () => {
    const sent = await sentUpdate({
      strategy: {
        ...strategy,
        type: 'LINEAR',
        linear: { stepPercent: 20, stepBakeTimeInMinutes: 2 },
        smokeCheck: undefined,
      },
    });
    expect(sent?.deploymentConfiguration).toEqual({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 15,
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 2 },
      lifecycleHooks: [],
    });
    // A service without a load balancer keeps none: ECS then shifts no traffic.
    expect(sent?.loadBalancers).toBeUndefined();
  });

  it('adds a PAUSE hook at POST_TEST_TRAFFIC_SHIFT beside the smoke check when production approves there', async () => {
    const sent = await sentUpdate({ approvalPause: { timeoutMinutes: 120 } });
    expect(sent?.deploymentConfiguration?.lifecycleHooks).toEqual([
      {
        targetType: 'AWS_LAMBDA',
        hookTargetArn: hooks.functionArn,
        roleArn: hooks.roleArn,
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      },
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 120, action: 'ROLLBACK' },
      },
    ]);
  });

  it('refuses to go on when ECS names no service deployment (as moto, which has none)', async () => {
    mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'wsgi' }] });
    mock.on(UpdateServiceCommand).resolves({ service: { serviceName: 'wsgi' } });
    await expect(
      ecs.startNativeDeployment({
        cluster: 'prod',
        service: 'wsgi',
        taskDefinitionArn: 'td',
        strategy,
        alarmNames: [],
      }),
    ).rejects.toThrow('ECS named no service deployment for service wsgi in cluster prod');
  });
});

describe('service deployments', () => {
  it('reads status, stage, rollback reason and the PAUSE hooks of lifecycleHookDetails (not the Lambda ones)', async () => {
    mock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SERVICE_DEPLOYMENT,
          status: 'ROLLBACK_SUCCESSFUL',
          lifecycleStage: 'TEST_TRAFFIC_SHIFT',
          rollback: { reason: 'hook FAILED' },
          lifecycleHookDetails: [
            { hookId: 'ecs-lambda-1', targetType: 'AWS_LAMBDA', targetArn: hooks.functionArn, status: 'SUCCEEDED' },
            {
              hookId: 'ecs-pause-1',
              targetType: 'PAUSE',
              status: 'TIMED_OUT',
              expiresAt: new Date('2026-12-01T11:00:00Z'),
              timeoutAction: 'ROLLBACK',
            },
          ],
        },
      ],
    });
    expect(await ecs.describeServiceDeployments([SERVICE_DEPLOYMENT])).toEqual([
      {
        arn: SERVICE_DEPLOYMENT,
        status: 'ROLLBACK_SUCCESSFUL',
        statusReason: undefined,
        lifecycleStage: 'TEST_TRAFFIC_SHIFT',
        rollbackReason: 'hook FAILED',
        pauses: [
          {
            hookId: 'ecs-pause-1',
            status: 'TIMED_OUT',
            expiresAt: '2026-12-01T11:00:00.000Z',
            timeoutAction: 'ROLLBACK',
          },
        ],
      },
    ]);
  });

  it('answers a pause with ContinueServiceDeployment, and stops a task with its reason', async () => {
    mock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: SERVICE_DEPLOYMENT });
    mock.on(StopTaskCommand).resolves({});
    await ecs.continueServiceDeployment(SERVICE_DEPLOYMENT, 'ecs-pause-1', 'ROLLBACK');
    expect(mock).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, {
      serviceDeploymentArn: SERVICE_DEPLOYMENT,
      hookId: 'ecs-pause-1',
      action: 'ROLLBACK',
    });
    await ecs.stopTask('prod', 'arn:task/1', 'aborted by bob');
    expect(mock).toHaveReceivedCommandWith(StopTaskCommand, {
      cluster: 'prod',
      task: 'arn:task/1',
      reason: 'aborted by bob',
    });
  });

  it('stops with a rollback, and names the call when ECS refuses', async () => {
    mock.on(StopServiceDeploymentCommand).resolvesOnce({}).rejects(new Error('not in progress'));
    await ecs.stopServiceDeployment(SERVICE_DEPLOYMENT);
    expect(mock).toHaveReceivedCommandWith(StopServiceDeploymentCommand, {
      serviceDeploymentArn: SERVICE_DEPLOYMENT,
      stopType: 'ROLLBACK',
    });
    await expect(ecs.stopServiceDeployment(SERVICE_DEPLOYMENT)).rejects.toBeInstanceOf(AwsCallError);
  });
});
