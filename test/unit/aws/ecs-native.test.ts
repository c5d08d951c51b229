import 'aws-sdk-client-mock-vitest/extend';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcsAdapter } from '../../../src/aws/ecs.js';
import { AwsCallError } from '../../../src/aws/errors.js';
import type { NativeStrategy } from '../../../src/domain/native-strategy.js';
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
    mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'wsgi' }] });
    mock.on(UpdateServiceCommand).resolves({ service: { currentServiceDeployment: SERVICE_DEPLOYMENT } });
    await ecs.startNativeDeployment({
      cluster: 'prod',
      service: 'wsgi',
      taskDefinitionArn: 'td/wsgi:3',
      strategy: {
        ...strategy,
        type: 'LINEAR',
        linear: { stepPercent: 20, stepBakeTimeInMinutes: 2 },
        smokeCheck: undefined,
      },
      alarmNames: [],
    });
    const sent = mock.commandCalls(UpdateServiceCommand)[0]?.args[0].input;
    expect(sent?.deploymentConfiguration).toEqual({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 15,
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 2 },
      lifecycleHooks: [],
    });
    // A service without a load balancer keeps none: ECS then shifts no traffic.
    expect(sent?.loadBalancers).toBeUndefined();
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
  it('reads status, stage and rollback reason', async () => {
    mock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SERVICE_DEPLOYMENT,
          status: 'ROLLBACK_SUCCESSFUL',
          lifecycleStage: 'TEST_TRAFFIC_SHIFT',
          rollback: { reason: 'hook FAILED' },
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
      },
    ]);
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
