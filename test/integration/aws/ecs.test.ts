import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecs, createEcsAdapter } from '../../../src/aws/ecs.js';
import { AwsCallError, UnknownContainerError } from '../../../src/aws/errors.js';
import type { TaskStart } from '../../../src/use-cases/ports.js';

const sdk = new ECSClient({});
const ec2 = new EC2Client({});
const cluster = unique('cluster');
const network = { subnets: [''], securityGroups: [''] };
const taskRoleArn = 'arn:aws:iam::123456789012:role/app-task';
const executionRoleArn = 'arn:aws:iam::123456789012:role/app-execution';

function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A Fargate task definition with an `app` and a `sidecar` container, as releases find them. */
async function registerFamily(family = unique('family')): Promise<string> {
  const response = await sdk.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      taskRoleArn,
      executionRoleArn,
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      volumes: [{ name: 'scratch' }],
      tags: [{ key: 'app', value: 'cgap' }],
      containerDefinitions: [
        {
          name: 'app',
          image: 'example/app:1.0.0',
          memory: 256,
          essential: true,
          environment: [{ name: 'MODE', value: 'web' }],
        },
        { name: 'sidecar', image: 'example/sidecar:2', memory: 128, essential: false },
      ],
    }),
  );
  return response.taskDefinition?.taskDefinitionArn ?? '';
}

async function createService(taskDefinition: string, desiredCount = 1): Promise<string> {
  const serviceName = unique('service');
  await sdk.send(
    new CreateServiceCommand({
      cluster,
      serviceName,
      taskDefinition,
      desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: network.subnets, securityGroups: network.securityGroups },
      },
    }),
  );
  return serviceName;
}

async function describeOne(service: string) {
  const response = await sdk.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return response.services?.[0];
}

function runRequest(taskDefinition: string) {
  return {
    cluster,
    taskDefinition,
    launchType: 'FARGATE' as const,
    subnets: network.subnets,
    securityGroups: network.securityGroups,
    assignPublicIp: false,
    startedBy: unique('release'),
    clientToken: randomUUID(),
  };
}

beforeAll(async () => {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc?.VpcId;
  // moto answers RunTask for awsvpc tasks with a 500 unless the VPC has DNS hostnames on.
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }));
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: unique('tasks'), Description: 'tasks' }),
  );
  network.subnets = [subnet.Subnet?.SubnetId ?? ''];
  network.securityGroups = [group.GroupId ?? ''];
  await sdk.send(new CreateClusterCommand({ clusterName: cluster }));
});

describe('describeServices', () => {
  it('returns each service in domain shape and lists the unknown names as missing', async () => {
    const taskDefinition = await registerFamily();
    const service = await createService(taskDefinition, 2);

    const described = await ecs.describeServices(cluster, [service, 'no-such-service']);

    expect(described.missing).toEqual(['no-such-service']);
    expect(described.services).toHaveLength(1);
    expect(described.services[0]).toMatchObject({
      name: service,
      status: 'ACTIVE',
      desiredCount: 2,
      taskDefinitionArn: taskDefinition,
      deployments: [{ status: 'PRIMARY', taskDefinitionArn: taskDefinition, desiredCount: 2 }],
    });
    expect(described.services[0]?.arn).toMatch(/^arn:aws:ecs:us-east-1:\d{12}:service\//);
    expect(described.services[0]?.deployments[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('describes more than ten services in batches of at most ten', async () => {
    const taskDefinition = await registerFamily();
    const services = await Promise.all(Array.from({ length: 12 }, () => createService(taskDefinition, 0)));
    const client = new ECSClient({});
    const batchSizes: number[] = [];
    client.middlewareStack.add(
      (next) => (args) => {
        const input = args.input as { services?: string[] };
        batchSizes.push(input.services?.length ?? 0);
        return next(args);
      },
      { step: 'initialize' },
    );

    const described = await createEcsAdapter(client).describeServices(cluster, [...services, 'missing-one']);

    expect(batchSizes.sort()).toEqual([10, 3]);
    expect(described.services.map((service) => service.name).sort()).toEqual([...services].sort());
    expect(described.missing).toEqual(['missing-one']);
  });
});

describe('setDesiredCount', () => {
  it('changes the desired count ECS reports for the service', async () => {
    const service = await createService(await registerFamily(), 1);

    await ecs.setDesiredCount(cluster, service, 4);

    expect((await describeOne(service))?.desiredCount).toBe(4);
  });

  it('throws an AwsCallError naming the call and keeping the SDK error for an unknown service', async () => {
    const failure = await ecs.setDesiredCount(cluster, 'no-such-service', 1).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).operation).toBe('ecs:UpdateService');
    expect((failure as AwsCallError).message).toContain('no-such-service');
    expect((failure as AwsCallError).cause).toMatchObject({ name: 'ServiceNotFoundException' });
  });
});

describe('task definitions', () => {
  it('describes a family’s latest revision with its containers’ images', async () => {
    const family = unique('family');
    const arn = await registerFamily(family);

    expect(await ecs.describeTaskDefinition(family)).toEqual({
      arn,
      family,
      revision: 1,
      containers: [
        // A container's environment comes back when it has one (what a deploy's diff compares).
        { name: 'app', image: 'example/app:1.0.0', environment: { MODE: 'web' } },
        { name: 'sidecar', image: 'example/sidecar:2' },
      ],
    });
  });

  it('registers a copy with only the named container’s image replaced', async () => {
    const family = unique('family');
    const source = await registerFamily(family);
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:' + 'a'.repeat(64);

    const arn = await ecs.registerTaskDefinitionWithImages(source, { app: image });

    expect(arn).not.toBe(source);
    const copy = await sdk.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
    expect(copy.taskDefinition).toMatchObject({
      family,
      revision: 2,
      taskRoleArn,
      executionRoleArn,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      volumes: [{ name: 'scratch' }],
      containerDefinitions: [
        { name: 'app', image, memory: 256, environment: [{ name: 'MODE', value: 'web' }] },
        { name: 'sidecar', image: 'example/sidecar:2', memory: 128 },
      ],
    });
    expect(copy.tags).toEqual([{ key: 'app', value: 'cgap' }]);
  });

  it('sets the configured container environment and stop timeout on the copy, the rest as it was', async () => {
    const family = unique('family');
    const source = await registerFamily(family);
    const settings = { app: { environment: { MODE: 'ingest', EXTRA: 'yes' }, stopTimeout: 120 } };

    const arn = await ecs.registerTaskDefinitionWithImages(source, { app: 'example/app:1.1.0' }, settings);

    const copy = await sdk.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(copy.taskDefinition?.containerDefinitions).toEqual([
      expect.objectContaining({
        name: 'app',
        image: 'example/app:1.1.0',
        stopTimeout: 120,
        environment: [
          { name: 'MODE', value: 'ingest' },
          { name: 'EXTRA', value: 'yes' },
        ],
      }),
      expect.objectContaining({ name: 'sidecar', image: 'example/sidecar:2' }),
    ]);
    expect(copy.taskDefinition?.containerDefinitions?.[1]?.stopTimeout).toBeUndefined();
    // The same image and settings again: nothing new to register.
    expect(await ecs.registerTaskDefinitionWithImages(arn, { app: 'example/app:1.1.0' }, settings)).toBe(arn);
  });

  it('registers a revision for new settings alone, and refuses settings for unknown containers', async () => {
    const source = await registerFamily();

    const arn = await ecs.registerTaskDefinitionWithImages(source, {}, { sidecar: { stopTimeout: 90 } });

    expect(arn).not.toBe(source);
    const copy = await sdk.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(copy.taskDefinition?.containerDefinitions?.[1]).toMatchObject({ name: 'sidecar', stopTimeout: 90 });
    await expect(ecs.registerTaskDefinitionWithImages(source, {}, { web: { stopTimeout: 90 } })).rejects.toBeInstanceOf(
      UnknownContainerError,
    );
  });

  it('returns the source revision instead of registering an identical one', async () => {
    const family = unique('family');
    const source = await registerFamily(family);

    expect(await ecs.registerTaskDefinitionWithImages(source, { app: 'example/app:1.0.0' })).toBe(source);
    const revisions = await sdk.send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
    expect(revisions.taskDefinitionArns).toEqual([source]);
  });

  it('refuses images for containers the task definition does not have', async () => {
    const source = await registerFamily();

    await expect(ecs.registerTaskDefinitionWithImages(source, { web: 'example/web:1' })).rejects.toBeInstanceOf(
      UnknownContainerError,
    );
  });
});

describe('updateServiceTaskDefinition', () => {
  it('points the service at the new revision with the circuit breaker and rollback on', async () => {
    const source = await registerFamily();
    const service = await createService(source);
    const next = await ecs.registerTaskDefinitionWithImages(source, { app: 'example/app:1.1.0' });

    const updated = await ecs.updateServiceTaskDefinition(cluster, service, next);

    expect(updated.taskDefinitionArn).toBe(next);
    const described = await describeOne(service);
    expect(described?.taskDefinition).toBe(next);
    expect(described?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(described?.deploymentConfiguration?.alarms).toBeUndefined();
  });

  it('sets the named CloudWatch alarms as the service’s deployment alarms, with rollback on', async () => {
    const source = await registerFamily();
    const service = await createService(source);
    const next = await ecs.registerTaskDefinitionWithImages(source, { app: 'example/app:1.2.0' });

    await ecs.updateServiceTaskDefinition(cluster, service, next, ['prod-wsgi-5xx', 'prod-latency']);

    expect((await describeOne(service))?.deploymentConfiguration?.alarms).toEqual({
      alarmNames: ['prod-wsgi-5xx', 'prod-latency'],
      enable: true,
      rollback: true,
    });
  });
});

/** The ARN of a task RunTask started; a test fails here when ECS placed none. */
function startedTask(start: TaskStart): string {
  if (!start.started) throw new Error(`no task started: ${start.reasons.join('; ')}`);
  return start.taskArn;
}

describe('tasks', () => {
  it('runs a task that describeTasks and listTasksStartedBy then find', async () => {
    const taskDefinition = await registerFamily();
    const request = runRequest(taskDefinition);

    const taskArn = startedTask(await ecs.runTask(request));

    const [task] = await ecs.describeTasks(cluster, [taskArn]);
    expect(task).toMatchObject({
      taskArn,
      desiredStatus: 'RUNNING',
      startedBy: request.startedBy,
      taskDefinitionArn: taskDefinition,
    });
    expect(task?.containers[0]?.name).toBe('app');
    expect(await ecs.listTasksStartedBy(cluster, request.startedBy)).toEqual([taskArn]);
    expect(await ecs.listTasksStartedBy(cluster, unique('nobody'))).toEqual([]);
  });

  it('reports a stopped task with its reason and lists it among the stopped ones', async () => {
    const request = runRequest(await registerFamily());
    const taskArn = startedTask(await ecs.runTask(request));

    await sdk.send(new StopTaskCommand({ cluster, task: taskArn, reason: 'migration failed' }));

    const [task] = await ecs.describeTasks(cluster, [taskArn]);
    expect(task).toMatchObject({ desiredStatus: 'STOPPED', stoppedReason: 'migration failed' });
    expect(await ecs.listTasksStartedBy(cluster, request.startedBy)).toEqual([]);
    expect(await ecs.listTasksStartedBy(cluster, request.startedBy, 'STOPPED')).toEqual([taskArn]);
  });

  it('answers a task ECS would not start with ECS’s reason when the subnet does not exist', async () => {
    const request = { ...runRequest(await registerFamily()), subnets: ['subnet-0123456789abcdef0'] };

    const start = await ecs.runTask(request);

    expect(start.started).toBe(false);
    expect(start.started ? '' : start.reasons.join()).toContain('subnet-0123456789abcdef0');
    expect(await ecs.listTasksStartedBy(cluster, request.startedBy)).toEqual([]);
  });
});
