import { emulatorEndpoint } from '../support/aws-env.js';
import { CodeBuildClient, BatchGetProjectsCommand } from '@aws-sdk/client-codebuild';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEmulator, type SeededResource } from '../../scripts/lib/seed.js';
import { NetworkIdMismatchError, networkIdsOf } from '../../scripts/lib/seed-network.js';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import { stateTableName } from '../../src/domain/names.js';
import { readConductorConfigFile } from '../../src/config/file.js';
import type { ConductorConfig } from '../../src/config/schema.js';

// conductor.yml's names (cgap-*) are shared with other test files (they roll and scale cgap-mastertest);
// the stage keeps the table apart.
const config = readConductorConfigFile(join(PROJECT_ROOT, 'conductor.yml'));
const stage = 'seed-test';
const mastertest = config.environments['cgap-mastertest'];
if (!mastertest) throw new Error('conductor.yml has no cgap-mastertest environment');

const ec2 = new EC2Client({});
const ecr = new ECRClient({});
const codebuild = new CodeBuildClient({});
const ecs = new ECSClient({});
const sqs = new SQSClient({});
const dynamodb = new DynamoDBClient({});

let firstSeed: SeededResource[];

beforeAll(async () => {
  firstSeed = await seedEmulator(emulatorEndpoint, config, { stage });
});

afterAll(() => {
  for (const client of [ec2, ecr, codebuild, ecs, sqs, dynamodb]) client.destroy();
});

async function describeService(cluster: string, service: string) {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return services?.[0];
}

function withSubnets(base: ConductorConfig, subnets: string[]): ConductorConfig {
  const environments = Object.fromEntries(
    Object.entries(base.environments).map(([name, env]) => [
      name,
      {
        ...env,
        deploymentTasks: Object.fromEntries(
          Object.entries(env.deploymentTasks).map(([key, task]) => [
            key,
            { ...task, network: { ...task.network, subnets } },
          ]),
        ),
      },
    ]),
  );
  return { environments };
}

function withClusterSuffix(base: ConductorConfig, suffix: string): ConductorConfig {
  return {
    environments: Object.fromEntries(
      Object.entries(base.environments).map(([name, env]) => [name, { ...env, cluster: `${env.cluster}${suffix}` }]),
    ),
  };
}

describe('seedEmulator from conductor.yml', () => {
  it('creates every service with its configured desired count', async () => {
    // Other test files share the emulator and scale the cgap-* services; clusters of their own show
    // what a first seed creates, whatever ran before.
    const fresh = withClusterSuffix(config, `-fresh-${Date.now().toString(36)}`);
    const created = await seedEmulator(emulatorEndpoint, fresh, { stage });
    expect(created.filter((resource) => resource.kind === 'ECS service' && resource.created)).toHaveLength(
      Object.values(fresh.environments).flatMap((env) => Object.values(env.services)).length,
    );
    for (const env of Object.values(fresh.environments)) {
      for (const service of Object.values(env.services)) {
        const described = await describeService(env.cluster, service.service);
        expect(described).toMatchObject({
          serviceName: service.service,
          status: 'ACTIVE',
          desiredCount: service.desiredCount,
        });
      }
    }
  });

  it('runs services in the network of their environment’s first deployment task', async () => {
    const service = await describeService(mastertest.cluster, 'cgap-mastertest-wsgi');
    const network = mastertest.deploymentTasks.deployment?.network;
    expect(service?.networkConfiguration?.awsvpcConfiguration).toMatchObject({
      subnets: network?.subnets,
      securityGroups: network?.securityGroups,
    });
  });

  it('creates the ingestion queues with a 6 h visibility timeout', async () => {
    for (const queue of ['cgap-mastertest-ingestion-queue', 'cgap-prod-ingestion-queue']) {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
      );
      expect(Attributes?.VisibilityTimeout).toBe('21600');
    }
  });

  it('creates the state table with its index and TTL on expiration', async () => {
    const TableName = stateTableName(stage);
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1']);
    const { TimeToLiveDescription } = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName }));
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiration' });
  });

  it('registers Fargate task definitions with container-level memory, the entrypoint image and the task roles', async () => {
    // Revision 1 is the seed's; rollouts in other test files register later revisions of the family.
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'cgap-mastertest-wsgi:1' }),
    );
    expect(taskDefinition).toMatchObject({
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      taskRoleArn: 'arn:aws:iam::123456789012:role/cgap-mastertest-ecs-task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/cgap-mastertest-ecs-execution',
    });
    expect(taskDefinition?.containerDefinitions).toEqual([
      expect.objectContaining({
        name: 'app',
        memory: 512,
        image: expect.stringMatching(/\/cgap-mastertest:latest-wsgi$/) as unknown,
      }),
    ]);
    const deployment = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'cgap-mastertest-deployment:1' }),
    );
    expect(deployment.taskDefinition?.containerDefinitions?.[0]?.image).toMatch(/:latest-deployment$/);
    // What the task definitions name is in ECR, so adopting the seeded environment can record digests.
    const { imageDetails = [] } = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'cgap-mastertest',
        imageIds: ['wsgi', 'indexer', 'ingester', 'deployment'].map((name) => ({ imageTag: `latest-${name}` })),
      }),
    );
    expect(imageDetails).toHaveLength(4);
  });

  it('creates the repositories, build projects (named or derived) and Fargate clusters', async () => {
    const { repositories } = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['cgap-mastertest', 'cgap-prod'] }),
    );
    expect(repositories).toHaveLength(2);
    // cgap-prod names no project: the seed creates the one the stack would, by its derived name.
    const names = ['cgap-mastertest', 'ecs-conductor-cgap-prod-build'];
    const { projects } = await codebuild.send(new BatchGetProjectsCommand({ names }));
    expect(projects?.map((project) => project.name)).toEqual(names);
    const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: ['cgap-mastertest', 'cgap-prod'] }));
    expect(clusters?.map((cluster) => cluster.capacityProviders)).toEqual([
      ['FARGATE', 'FARGATE_SPOT'],
      ['FARGATE', 'FARGATE_SPOT'],
    ]);
  });

  it('creates the subnets and security groups with the ids the config names, in a VPC with DNS hostnames', async () => {
    const wanted = networkIdsOf(config);
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: wanted.subnets }));
    const { SecurityGroups = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: wanted.securityGroups }),
    );
    expect(Subnets.map((subnet) => subnet.SubnetId).sort()).toEqual([...wanted.subnets].sort());
    expect(SecurityGroups.map((group) => group.GroupId).sort()).toEqual([...wanted.securityGroups].sort());
    const vpcIds = new Set([...Subnets, ...SecurityGroups].map((resource) => resource.VpcId));
    expect(vpcIds.size).toBe(1);
    const [VpcId] = [...vpcIds];
    const { EnableDnsHostnames } = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId, Attribute: 'enableDnsHostnames' }),
    );
    expect(EnableDnsHostnames?.Value).toBe(true);
  });

  it('lets the deployment task run with the config’s network', async () => {
    const task = mastertest.deploymentTasks.deployment;
    if (!task) throw new Error('conductor.yml has no deployment task');
    const { tasks, failures } = await ecs.send(
      new RunTaskCommand({
        cluster: mastertest.cluster,
        taskDefinition: task.taskDefinition,
        launchType: task.launchType,
        startedBy: 'seed-test',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: task.network.subnets,
            securityGroups: task.network.securityGroups,
            assignPublicIp: 'DISABLED',
          },
        },
      }),
    );
    expect(failures).toEqual([]);
    expect(tasks).toHaveLength(1);
  });
});

describe('seeding again', () => {
  it('creates nothing, fails on nothing and keeps existing services as they are', async () => {
    await ecs.send(
      new UpdateServiceCommand({ cluster: mastertest.cluster, service: 'cgap-mastertest-indexer', desiredCount: 2 }),
    );
    const revisions = async () =>
      (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'cgap-mastertest-wsgi' }))).taskDefinitionArns;
    const revisionsBefore = await revisions();

    const secondSeed = await seedEmulator(emulatorEndpoint, config, { stage });

    expect(await revisions()).toEqual(revisionsBefore);
    expect(secondSeed.map(({ kind, name }) => ({ kind, name }))).toEqual(
      firstSeed.map(({ kind, name }) => ({ kind, name })),
    );
    expect(secondSeed.filter((resource) => resource.created)).toEqual([]);
    expect((await describeService(mastertest.cluster, 'cgap-mastertest-indexer'))?.desiredCount).toBe(2);
  });

  it('leaves one of each resource', async () => {
    const { serviceArns } = await ecs.send(new ListServicesCommand({ cluster: mastertest.cluster }));
    expect(serviceArns).toHaveLength(Object.keys(mastertest.services).length);
    const { taskDefinitionArns } = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'cgap-mastertest-wsgi' }),
    );
    expect(taskDefinitionArns?.filter((arn) => arn.endsWith('/cgap-mastertest-wsgi:1'))).toHaveLength(1);
    const { Vpcs } = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['ecs-conductor-local'] }] }),
    );
    expect(Vpcs).toHaveLength(1);
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'cgap-mastertest-ingestion-queue' }));
    expect(QueueUrls).toHaveLength(1);
  });

  it('fails with a config-id → emulator-id mapping when the config names other subnets', async () => {
    const seeding = seedEmulator(emulatorEndpoint, withSubnets(config, ['subnet-0123456789abcdef0']), { stage });
    await expect(seeding).rejects.toThrow(NetworkIdMismatchError);
    await expect(seeding).rejects.toThrow(/subnet-0123456789abcdef0 → \(not created/);
  });
});
