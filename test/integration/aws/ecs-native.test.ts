import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEcsAdapter } from '../../../src/aws/ecs.js';
import { AwsCallError } from '../../../src/aws/errors.js';
import { BLUE_GREEN } from '../../support/native-strategy.js';

/**
 * The native-deployment calls against moto, as far as moto goes: it takes the UpdateService but keeps
 * none of its native settings, names no service deployment, and answers 500 to the service-deployment
 * APIs. Their shapes are tested against a mocked client
 * (test/unit/aws/ecs-native.test.ts) and their behaviour in local mode, which plays them.
 */
const sdk = new ECSClient({});
const hooks = {
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ecs-conductor-test-deploymentHook',
  roleArn: 'arn:aws:iam::123456789012:role/ecs-conductor-test-deployment-hook',
};
const ecs = createEcsAdapter(sdk, () => hooks);
const cluster = `native-${randomUUID().slice(0, 8)}`;
const service = 'wsgi';
let revision = '';

beforeAll(async () => {
  await sdk.send(new CreateClusterCommand({ clusterName: cluster }));
  const registered = await sdk.send(
    new RegisterTaskDefinitionCommand({
      family: `${cluster}-wsgi`,
      containerDefinitions: [{ name: 'app', image: 'example/app:1', memory: 256, essential: true }],
    }),
  );
  revision = registered.taskDefinition?.taskDefinitionArn ?? '';
  await sdk.send(
    new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: revision, desiredCount: 1 }),
  );
});

describe('native deployments against moto', () => {
  it('sends the strategy moto keeps, and refuses to go on without the service deployment ECS would name', async () => {
    const request = { cluster, service, taskDefinitionArn: revision, strategy: BLUE_GREEN, alarmNames: [] };
    await expect(ecs.startNativeDeployment(request)).rejects.toThrow(
      `ECS named no service deployment for service ${service} in cluster ${cluster}`,
    );
    const [stored] = (await sdk.send(new DescribeServicesCommand({ cluster, services: [service] }))).services ?? [];
    // The UpdateService went through; moto keeps none of its native settings (no strategy, no hooks).
    expect(stored?.taskDefinition).toBe(revision);
    expect(stored?.deploymentConfiguration?.strategy).toBeUndefined();
  });

  it('gets moto’s 500 from DescribeServiceDeployments as an AwsCallError naming the call', async () => {
    const refused = await ecs
      .describeServiceDeployments([`arn:aws:ecs:us-east-1:123456789012:service-deployment/${cluster}/${service}/x`])
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AwsCallError);
    expect((refused as Error).message).toContain('ecs:DescribeServiceDeployments');
  });
});
