import 'aws-sdk-client-mock-vitest/extend';
import {
  ECSClient,
  DescribeTaskDefinitionCommand,
  ECSServiceException,
  InvalidParameterException,
  RunTaskCommand,
  ServerException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcsAdapter } from '../../../src/aws/ecs.js';
import { AwsCallError, isThrottling } from '../../../src/aws/errors.js';

const client = new ECSClient({});
const mock = mockClient(client);
const ecs = createEcsAdapter(client);

const request = {
  cluster: 'prod',
  taskDefinition: 'deployment:7',
  capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
  subnets: ['subnet-0123456789abcdef0'],
  securityGroups: ['sg-0123456789abcdef0'],
  assignPublicIp: true,
  startedBy: 'release-42',
  clientToken: 'release-42-deployment',
};

const throttled = new ECSServiceException({
  name: 'ThrottlingException',
  message: 'Rate exceeded',
  $fault: 'client',
  $metadata: { httpStatusCode: 400 },
});

beforeEach(() => {
  mock.reset();
});

describe('runTask', () => {
  it('sends one task with the idempotency token, startedBy and awsvpc settings', async () => {
    mock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc' }] });

    expect(await ecs.runTask(request)).toEqual({
      started: true,
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc',
    });

    expect(mock).toHaveReceivedCommandWith(RunTaskCommand, {
      count: 1,
      clientToken: 'release-42-deployment',
      startedBy: 'release-42',
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: request.subnets,
          securityGroups: request.securityGroups,
          assignPublicIp: 'ENABLED',
        },
      },
    });
  });

  it('answers ECS’s failure reasons when no task was placed', async () => {
    mock.on(RunTaskCommand).resolves({
      tasks: [],
      failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/i-1', reason: 'RESOURCE:MEMORY' }],
    });

    const start = await ecs.runTask(request);

    expect(start).toEqual({
      started: false,
      reasons: ['RESOURCE:MEMORY: arn:aws:ecs:us-east-1:123456789012:container-instance/prod/i-1'],
    });
  });

  it('answers ECS’s words when ECS refuses the request', async () => {
    const refusal = new InvalidParameterException({
      message: 'Error retrieving subnet information for [subnet-0123456789abcdef0]',
      $metadata: {},
    });
    mock.on(RunTaskCommand).rejects(refusal);

    const start = await ecs.runTask(request);

    expect(start).toEqual({ started: false, reasons: [refusal.message] });
  });

  it.each([
    ['throttled', throttled, true],
    [
      'failing on its side',
      new ServerException({ message: 'internal error', $metadata: { httpStatusCode: 500 } }),
      false,
    ],
  ])('throws a retryable AwsCallError, not a refusal, when ECS is %s', async (_, error, throttling) => {
    mock.on(RunTaskCommand).rejects(error);

    const failure = await ecs.runTask(request).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsCallError);
    expect(isThrottling(failure)).toBe(throttling);
  });
});

describe('setDesiredCount', () => {
  it('reports a throttled call as an AwsCallError that isThrottling recognises', async () => {
    mock.on(UpdateServiceCommand).rejects(throttled);

    const failure = await ecs.setDesiredCount('prod', 'web', 3).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsCallError);
    expect(isThrottling(failure)).toBe(true);
  });
});

describe('describeTaskDefinition', () => {
  it('gives each container its image and, when set, its environment and stopTimeout', async () => {
    mock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3',
        family: 'app',
        revision: 3,
        containerDefinitions: [
          { name: 'app', image: 'app:1', environment: [{ name: 'WORKERS', value: '2' }], stopTimeout: 30 },
          { name: 'sidecar', image: 'sidecar:2' },
        ],
      },
    });
    expect(await ecs.describeTaskDefinition('app')).toEqual({
      arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3',
      family: 'app',
      revision: 3,
      containers: [
        { name: 'app', image: 'app:1', environment: { WORKERS: '2' }, stopTimeout: 30 },
        { name: 'sidecar', image: 'sidecar:2' },
      ],
    });
  });
});
