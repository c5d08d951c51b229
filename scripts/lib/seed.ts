import { BatchGetProjectsCommand, CodeBuildClient, CreateProjectCommand } from '@aws-sdk/client-codebuild';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { pushImage } from '../../src/local/images.js';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { stateTableDefinition } from '../../src/aws/state-table-definition.js';
import { stateTableName } from '../../src/domain/names.js';
import { type ConductorConfig } from '../../src/config/schema.js';
import {
  autoscaleTickQueueName,
  codeBuildProjectName,
  nameOf,
  queueName,
  repositoryName,
  taskDefinitionFamily,
} from '../../src/domain/names.js';
import { roleArn } from './aws-names.js';
import { emulatorClients, type EmulatorClients } from './emulator-clients.js';
import { networkIdsOf, seedNetwork, type SeededNetwork } from './seed-network.js';
import { ensureAlarms } from './seed-alarms.js';
import {
  buildsImages,
  type DeploymentTaskSettings,
  type Environment,
  type ServiceSettings,
} from '../../src/domain/environment.js';

/**
 * Seeds the emulator with the AWS resources a conductor config refers to, so the conductor runs
 * against it unchanged. Idempotent: it creates only what is missing and leaves existing resources
 * (a service scaled by the conductor, say) as they are.
 */

export interface SeedOptions {
  /** Serverless stage; names the state table as serverless.yml does. */
  stage: string;
  region?: string;
}

export interface SeededResource {
  kind: string;
  name: string;
  /** false when an earlier run (or something else) had created it already. */
  created: boolean;
  /** What the emulator got instead of the user's definition, and why (scripts/lib/emulator-templates.ts). */
  standIns?: string[];
}

const REGION = 'us-east-1';
const LOCAL_ACCOUNT = '123456789012';
/** CodeBuild refuses projects without a service role; moto accepts any role of its account. */
const CODEBUILD_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/ecs-conductor-local-codebuild`;
/** The smallest Fargate size; moto also needs a container-level memory to place a task. */
const TASK_CPU = 256;
const TASK_MEMORY = 512;

interface TaskDefinitionPlan {
  family: string;
  container: string;
  repository: string;
  tagSuffix: string;
  /** A single-image environment's task definitions pick their entrypoint from it (CGAP's `application_type`). */
  environment: { name: string; value: string }[];
  taskRoleArn: string | undefined;
  executionRoleArn: string | undefined;
}

interface ServicePlan {
  cluster: string;
  name: string;
  family: string;
  desiredCount: number;
  launchType: ServiceSettings['launchType'];
  capacityProviderStrategy: ServiceSettings['capacityProviderStrategy'];
  network: DeploymentTaskSettings['network'] | undefined;
}

interface QueuePlan {
  name: string;
  visibilityTimeoutSeconds: number;
}

type Clients = EmulatorClients;

export async function seedEmulator(
  endpoint: string,
  config: ConductorConfig,
  options: SeedOptions,
): Promise<SeededResource[]> {
  const region = options.region ?? REGION;
  const clients = emulatorClients(endpoint);
  // The network first: its ids are reproducible only while nothing else draws moto's random ids.
  const wanted = networkIdsOf(config);
  const needsNetwork = wanted.subnets.length + wanted.securityGroups.length > 0;
  const network = needsNetwork ? await seedNetwork(clients.ec2, endpoint, region, wanted) : undefined;
  const environments = Object.values(config.environments);
  const repositoryNames = unique(environments.map((env) => repositoryName(env.repository)));
  const projectNames = unique(
    environments.filter(buildsImages).map((env) => codeBuildProjectName(env.codebuild.project)),
  );
  const clusterNames = unique(environments.map((env) => nameOf(env.cluster)));

  const repositories = await Promise.all(repositoryNames.map((name) => ensureRepository(clients.ecr, name)));
  const repositoryUris = new Map(repositories.map((repository) => [repository.name, repository.uri]));
  const [projects, clusters, taskDefinitions] = await Promise.all([
    Promise.all(projectNames.map((name) => ensureProject(clients.codebuild, name))),
    Promise.all(clusterNames.map((name) => ensureCluster(clients.ecs, name))),
    Promise.all(taskDefinitionPlans(config).map((plan) => ensureTaskDefinition(clients, plan, repositoryUris))),
  ]);
  // Services after their clusters and task definitions.
  const [services, queues, table, alarms] = await Promise.all([
    Promise.all(servicePlans(config).map((plan) => ensureService(clients.ecs, plan))),
    Promise.all([...queuePlans(config), tickQueuePlan(options.stage)].map((plan) => ensureQueue(clients.sqs, plan))),
    ensureStateTable(clients.dynamodb, stateTableName(options.stage)),
    ensureAlarms(clients.cloudwatch, config),
  ]);
  return [
    ...(network ? networkReport(network) : []),
    ...repositories.map(({ name, created }) => ({ kind: 'ECR repository', name, created })),
    ...projects,
    ...clusters,
    ...taskDefinitions,
    ...services,
    ...queues,
    table,
    ...alarms,
  ];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** First plan of each key: two environments may share a resource. */
function uniqueBy<T>(plans: T[], key: (plan: T) => string): T[] {
  return plans.filter((plan, index) => plans.findIndex((other) => key(other) === key(plan)) === index);
}

function isError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

function networkReport(network: SeededNetwork): SeededResource[] {
  const created = network.created;
  return [
    { kind: 'VPC', name: network.vpcId, created },
    ...network.subnets.map(({ configId }) => ({ kind: 'subnet', name: configId, created })),
    ...network.securityGroups.map(({ configId }) => ({ kind: 'security group', name: configId, created })),
  ];
}

async function ensureRepository(ecr: ECRClient, name: string): Promise<SeededResource & { uri: string }> {
  try {
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return { kind: 'ECR repository', name, created: false, uri: repositories?.[0]?.repositoryUri ?? '' };
  } catch (error) {
    if (!isError(error, 'RepositoryNotFoundException')) throw error;
  }
  const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
  return { kind: 'ECR repository', name, created: true, uri: repository?.repositoryUri ?? '' };
}

async function ensureProject(codebuild: CodeBuildClient, name: string): Promise<SeededResource> {
  const { projects } = await codebuild.send(new BatchGetProjectsCommand({ names: [name] }));
  if (projects?.length) return { kind: 'CodeBuild project', name, created: false };
  await codebuild.send(
    new CreateProjectCommand({
      name,
      // Builds never run in the emulator; a project that runs the recipe's buildspec, as the conductor
      // checks before building (domain/build-recipe.ts), from a source holding docker/.
      source: { type: 'S3', location: 'ecs-conductor-local/build-source.zip', buildspec: 'buildspec/buildspec.yml' },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: 'BUILD_GENERAL1_SMALL',
        image: 'aws/codebuild/standard:7.0',
        privilegedMode: true,
      },
      serviceRole: CODEBUILD_ROLE_ARN,
    }),
  );
  return { kind: 'CodeBuild project', name, created: true };
}

async function ensureCluster(ecs: ECSClient, name: string): Promise<SeededResource> {
  const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: [name] }));
  if (clusters?.some((cluster) => cluster.status === 'ACTIVE')) return { kind: 'ECS cluster', name, created: false };
  await ecs.send(
    new CreateClusterCommand({
      clusterName: name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      // Without a default, moto runs a task given neither launch type nor strategy on EC2 instances it lacks.
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    }),
  );
  return { kind: 'ECS cluster', name, created: true };
}

/**
 * The task and execution roles from an environment's taskRoles: the one named like an execution
 * role is the execution role, the other the task role; a single role serves as both.
 */
function taskRoles(env: Environment): { taskRoleArn: string | undefined; executionRoleArn: string | undefined } {
  const arns = env.taskRoles.map((role) => roleArn(role, env.account ?? LOCAL_ACCOUNT));
  const execution = arns.find((arn) => /execution/i.test(arn));
  const task = arns.find((arn) => arn !== execution);
  return { taskRoleArn: task ?? execution, executionRoleArn: execution ?? task };
}

function serviceFamily(service: ServiceSettings): string {
  return service.taskDefinitionFamily ?? nameOf(service.service);
}

/** One task definition per service and per deployment task. */
/** CGAP's single image runs the entrypoint its task definition's `application_type` names (wsgi is `portal`). */
const applicationType = (entrypoint: string): string => (entrypoint === 'wsgi' ? 'portal' : entrypoint);

function taskDefinitionPlans(config: ConductorConfig): TaskDefinitionPlan[] {
  const plans = Object.values(config.environments).flatMap((env) => {
    const single = env.image.shape === 'single-image';
    const tagSuffix = (entrypoint: string) =>
      single ? '' : (env.entrypoints.find((e) => e.name === entrypoint)?.tagSuffix ?? '');
    const environment = (entrypoint: string) =>
      single ? [{ name: 'application_type', value: applicationType(entrypoint) }] : [];
    const common = { repository: repositoryName(env.repository), ...taskRoles(env) };
    const plan = (family: string, container: string, entrypoint: string) => ({
      ...common,
      family,
      container,
      tagSuffix: tagSuffix(entrypoint),
      environment: environment(entrypoint),
    });
    return [
      ...Object.entries(env.services).map(([key, service]) =>
        plan(serviceFamily(service), service.container, service.entrypoint ?? key),
      ),
      ...Object.values(env.deploymentTasks).map((task) =>
        plan(taskDefinitionFamily(task.taskDefinition), task.container, task.entrypoint),
      ),
    ];
  });
  return uniqueBy(plans, (plan) => plan.family);
}

async function taskDefinitionExists(ecs: ECSClient, family: string): Promise<boolean> {
  try {
    await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
    return true;
  } catch (error) {
    if (isError(error, 'ClientException')) return false;
    throw error;
  }
}

async function ensureTaskDefinition(
  { ecs, ecr }: Pick<Clients, 'ecs' | 'ecr'>,
  plan: TaskDefinitionPlan,
  repositoryUris: Map<string, string>,
): Promise<SeededResource> {
  // Registering again would add a revision, and the conductor registers its own: never touch them.
  if (await taskDefinitionExists(ecs, plan.family))
    return { kind: 'task definition', name: plan.family, created: false };
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: plan.family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(TASK_CPU),
      memory: String(TASK_MEMORY),
      taskRoleArn: plan.taskRoleArn,
      executionRoleArn: plan.executionRoleArn,
      containerDefinitions: [
        {
          name: plan.container,
          image: `${repositoryUris.get(plan.repository) ?? plan.repository}:latest${plan.tagSuffix}`,
          essential: true,
          memory: TASK_MEMORY,
          ...(plan.environment.length > 0 ? { environment: plan.environment } : {}),
        },
      ],
    }),
  );
  // The image it names is in ECR too, as in a real environment: adopting it can then record its digest.
  await pushImage(ecr, plan.repository, `latest${plan.tagSuffix}`);
  return { kind: 'task definition', name: plan.family, created: true };
}

/** Services run in the network of the environment's first deployment task (the config has no other). */
function servicePlans(config: ConductorConfig): ServicePlan[] {
  const plans = Object.values(config.environments).flatMap((env) => {
    const network = Object.values(env.deploymentTasks)[0]?.network;
    return Object.values(env.services).map((service) => ({
      cluster: nameOf(env.cluster),
      name: nameOf(service.service),
      family: serviceFamily(service),
      desiredCount: service.desiredCount,
      launchType: service.launchType,
      capacityProviderStrategy: service.capacityProviderStrategy,
      network,
    }));
  });
  return uniqueBy(plans, (plan) => `${plan.cluster}/${plan.name}`);
}

async function ensureService(ecs: ECSClient, plan: ServicePlan): Promise<SeededResource> {
  const name = `${plan.cluster}/${plan.name}`;
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: plan.cluster, services: [plan.name] }));
  if (services?.some((service) => service.status !== 'INACTIVE')) return { kind: 'ECS service', name, created: false };
  await ecs.send(
    new CreateServiceCommand({
      cluster: plan.cluster,
      serviceName: plan.name,
      taskDefinition: plan.family,
      desiredCount: plan.desiredCount,
      launchType: plan.launchType,
      capacityProviderStrategy: plan.capacityProviderStrategy,
      networkConfiguration: plan.network && {
        awsvpcConfiguration: {
          subnets: plan.network.subnets,
          securityGroups: plan.network.securityGroups,
          assignPublicIp: plan.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
        },
      },
    }),
  );
  // moto counted MOTO_ECS_SERVICE_RUNNING tasks as running; setting the count makes it the real one.
  await ecs.send(
    new UpdateServiceCommand({ cluster: plan.cluster, service: plan.name, desiredCount: plan.desiredCount }),
  );
  return { kind: 'ECS service', name, created: true };
}

/**
 * The autoscaler's tick queue, which serverless.yml declares for AWS (`AutoscaleTickQueue`); its
 * visibility timeout is above the function's timeout there too.
 */
function tickQueuePlan(stage: string): QueuePlan {
  return { name: autoscaleTickQueueName(stage), visibilityTimeoutSeconds: 60 };
}

function queuePlans(config: ConductorConfig): QueuePlan[] {
  const plans = Object.values(config.environments).flatMap((env) =>
    Object.values(env.queues).flatMap((queue) =>
      [queue.queue, ...queue.alsoQueues].map((name) => ({
        name: queueName(name),
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      })),
    ),
  );
  return uniqueBy(plans, (plan) => plan.name);
}

async function queueExists(sqs: SQSClient, name: string): Promise<boolean> {
  try {
    await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return true;
  } catch (error) {
    if (isError(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) return false;
    throw error;
  }
}

async function ensureQueue(sqs: SQSClient, { name, visibilityTimeoutSeconds }: QueuePlan): Promise<SeededResource> {
  if (await queueExists(sqs, name)) return { kind: 'SQS queue', name, created: false };
  const attributes: Record<string, string> = { VisibilityTimeout: String(visibilityTimeoutSeconds) };
  // SQS requires the attribute for names ending in .fifo.
  if (name.endsWith('.fifo')) attributes.FifoQueue = 'true';
  await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return { kind: 'SQS queue', name, created: true };
}

async function tableExists(dynamodb: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (isError(error, 'ResourceNotFoundException')) return false;
    throw error;
  }
}

async function ensureStateTable(dynamodb: DynamoDBClient, name: string): Promise<SeededResource> {
  const { timeToLiveAttribute, ...table } = stateTableDefinition;
  const created = !(await tableExists(dynamodb, name));
  if (created) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [...table.AttributeDefinitions],
        KeySchema: [...table.KeySchema],
        GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((index) => ({
          ...index,
          KeySchema: [...index.KeySchema],
        })),
        BillingMode: table.BillingMode,
      }),
    );
  }
  const { TimeToLiveDescription } = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
  if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    const specification = { AttributeName: timeToLiveAttribute, Enabled: true };
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: specification }));
  }
  return { kind: 'DynamoDB table', name, created };
}

/** One line per resource, aligned, saying whether this run created it or found it. */
export function describeSeed(resources: SeededResource[]): string[] {
  const width = Math.max(...resources.map((resource) => resource.kind.length));
  return resources.flatMap(({ kind, name, created, standIns = [] }) => [
    `  ${created ? 'created' : 'exists '}  ${kind.padEnd(width)}  ${name}`,
    ...standIns.map((change) => `             stand-in: ${change}`),
  ]);
}
