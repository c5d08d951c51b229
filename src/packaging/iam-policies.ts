import { type ConductorConfig } from '../config/schema.js';
import { nameOf, queueName, taskDefinitionFamily } from '../domain/names.js';
import { arnIn, arnOrBuild, repositoryArn, type CfnString } from './arns.js';
import { buildProjectArn } from './build-projects.js';
import { buildsImages, type Environment } from '../domain/environment.js';
import { alarmsWatchedIn } from '../domain/alarm-watch.js';
import { approvesAtPause } from '../domain/gates.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: CfnString | CfnString[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The functions serverless.yml declares; each gets a role with only what it needs. */
export const FUNCTION_NAMES = [
  'api',
  'publicApi',
  'onImagePush',
  'onBuildStateChange',
  'onTaskStateChange',
  'onDeploymentStateChange',
  'onAlarmStateChange',
  'autoscale',
  'reconcile',
  'deploymentHook',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** What a function may do; each capability maps to a few statements scoped to configured resources. */
type Capability =
  | 'state'
  | 'readServices'
  | 'scaleQueueServices'
  | 'rollServices'
  | 'runDeploymentTasks'
  | 'builds'
  | 'readImages'
  | 'readAlarms'
  | 'readQueues'
  | 'notify'
  | 'deadLetters'
  | 'autoscaleTicks'
  | 'answerDeployments'
  | 'hookNetwork';

const ROLLOUT: Capability[] = [
  'state',
  'readServices',
  'rollServices',
  'runDeploymentTasks',
  'readImages',
  'readAlarms',
  'notify',
];

const CAPABILITIES: Record<FunctionName, Capability[]> = {
  // Approve and reject at a pause (ContinueServiceDeployment), abort (StopServiceDeployment, StopTask).
  api: [...ROLLOUT, 'builds', 'readQueues', 'scaleQueueServices', 'answerDeployments'],
  // /health and /openapi.json call no AWS service.
  publicApi: [],
  onImagePush: ['state', 'builds', 'readImages', 'deadLetters'],
  onBuildStateChange: [...ROLLOUT, 'builds', 'deadLetters'],
  onTaskStateChange: [...ROLLOUT, 'deadLetters'],
  onDeploymentStateChange: [...ROLLOUT, 'deadLetters'],
  // Fails a release whose watched alarm went to ALARM, and starts the rollback its end asks for.
  onAlarmStateChange: [...ROLLOUT, 'deadLetters'],
  autoscale: ['state', 'readServices', 'readQueues', 'scaleQueueServices', 'deadLetters', 'autoscaleTicks'],
  reconcile: [...ROLLOUT, 'builds', 'deadLetters'],
  // Reads the lock and appends to the rolling release's timeline; its smoke check is a plain HTTP GET,
  // from inside the VPC when `deploymentHook` places it there (hookNetwork).
  deploymentHook: ['state', 'hookNetwork'],
};

const envs = (config: ConductorConfig): Environment[] => Object.values(config.environments);

/**
 * onImagePush rolls single-image releases out itself (auto-deploy), and retries an auto-deploy when a
 * scan a gate reads completes: only then may it roll.
 */
function capabilitiesOf(fn: FunctionName, config: ConductorConfig): Capability[] {
  const rollsOut = fn === 'onImagePush' && envs(config).some((env) => !buildsImages(env) || env.gates?.scan);
  return rollsOut ? [...new Set([...ROLLOUT, ...CAPABILITIES[fn]])] : CAPABILITIES[fn];
}

function clusterName(env: Environment): string {
  return nameOf(env.cluster);
}

function serviceArn(env: Environment, service: string): CfnString {
  return arnOrBuild(env, service, 'ecs', (name) => `service/${clusterName(env)}/${name}`);
}

function serviceArns(config: ConductorConfig, onlyQueueDriven = false): CfnString[] {
  return envs(config).flatMap((env) => {
    const queueServices = new Set(Object.values(env.queues).map((queue) => queue.service));
    return Object.entries(env.services)
      .filter(([key]) => !onlyQueueDriven || queueServices.has(key))
      .map(([, service]) => serviceArn(env, service.service));
  });
}

function clusterArns(config: ConductorConfig): CfnString[] {
  return envs(config).map((env) => arnOrBuild(env, env.cluster, 'ecs', (name) => `cluster/${name}`));
}

function serviceFamilies(config: ConductorConfig): CfnString[] {
  return envs(config).flatMap((env) =>
    Object.values(env.services).map((service) =>
      arnIn(env, 'ecs', `task-definition/${service.taskDefinitionFamily ?? nameOf(service.service)}:*`),
    ),
  );
}

function deploymentTaskFamilies(config: ConductorConfig): CfnString[] {
  return envs(config).flatMap((env) =>
    Object.values(env.deploymentTasks).map((task) =>
      arnIn(env, 'ecs', `task-definition/${taskDefinitionFamily(task.taskDefinition)}:*`),
    ),
  );
}

function statementsFor(capability: Capability, config: ConductorConfig, tableArn: CfnString): PolicyStatement[] {
  switch (capability) {
    case 'state':
      return [
        {
          Sid: 'ConductorState',
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:Query',
          ],
          Resource: [tableArn, { 'Fn::Sub': `\${StateTable.Arn}/index/*` }],
        },
      ];
    case 'readServices':
      return [
        { Sid: 'ReadServices', Effect: 'Allow', Action: ['ecs:DescribeServices'], Resource: serviceArns(config) },
      ];
    case 'scaleQueueServices':
      return [
        {
          Sid: 'ScaleQueueServices',
          Effect: 'Allow',
          Action: ['ecs:UpdateService'],
          Resource: serviceArns(config, true),
        },
      ];
    case 'rollServices':
      return rollServiceStatements(config);
    case 'runDeploymentTasks':
      return runTaskStatements(config);
    case 'builds':
      return [
        {
          Sid: 'Builds',
          Effect: 'Allow',
          Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:BatchGetProjects'],
          Resource: Object.entries(config.environments).flatMap(([name, env]) =>
            buildsImages(env) ? [buildProjectArn(name, env)] : [],
          ),
        },
      ];
    case 'readImages':
      return [
        {
          Sid: 'ReadImages',
          Effect: 'Allow',
          Action: ['ecr:DescribeImages', 'ecr:DescribeRepositories'],
          Resource: envs(config).map(repositoryArn),
        },
        ...scanFindingStatements(config),
      ];
    case 'readAlarms':
      return readAlarmStatements(config);
    case 'hookNetwork':
      return hookNetworkStatements(config);
    case 'readQueues':
      return [
        {
          Sid: 'ReadQueues',
          Effect: 'Allow',
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: envs(config).flatMap((env) =>
            Object.values(env.queues).flatMap((queue) =>
              [queue.queue, ...queue.alsoQueues].map((name) =>
                name.startsWith('arn:') ? name : arnIn(env, 'sqs', queueName(name)),
              ),
            ),
          ),
        },
      ];
    case 'notify':
      return notifyStatements(config);
    case 'deadLetters':
      // Lambda's on-failure destination sends with the function's own role.
      return [
        {
          Sid: 'DeadLetters',
          Effect: 'Allow',
          Action: ['sqs:SendMessage'],
          Resource: { 'Fn::Sub': '${EventsDeadLetterQueue.Arn}' },
        },
      ];
    case 'answerDeployments':
      return answerDeploymentStatements(config);
    case 'autoscaleTicks':
      // Sending its next tick, and what the event source mapping does with the function's role.
      return [
        {
          Sid: 'AutoscaleTicks',
          Effect: 'Allow',
          Action: [
            'sqs:SendMessage',
            'sqs:GetQueueUrl',
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
          ],
          Resource: { 'Fn::Sub': '${AutoscaleTickQueue.Arn}' },
        },
      ];
  }
}

function rollServiceStatements(config: ConductorConfig): PolicyStatement[] {
  const passRoles = envs(config).flatMap((env) =>
    env.taskRoles.map((role) => arnOrBuild(env, role, 'iam', (name) => `role/${name}`)),
  );
  const statements: PolicyStatement[] = [
    { Sid: 'UpdateServices', Effect: 'Allow', Action: ['ecs:UpdateService'], Resource: serviceArns(config) },
    {
      Sid: 'RegisterReleaseRevisions',
      Effect: 'Allow',
      Action: ['ecs:RegisterTaskDefinition'],
      Resource: [...serviceFamilies(config), ...deploymentTaskFamilies(config)],
    },
    // DescribeTaskDefinition supports no resource-level permissions; it is read-only.
    { Sid: 'ReadTaskDefinitions', Effect: 'Allow', Action: ['ecs:DescribeTaskDefinition'], Resource: '*' },
  ];
  statements.push(...nativeDeploymentStatements(config));
  if (passRoles.length > 0) {
    statements.push({
      Sid: 'PassTaskRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: passRoles,
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
  }
  return statements;
}

/** The services that roll with an ECS-native strategy, with their environments. */
function nativeServices(config: ConductorConfig) {
  return envs(config).flatMap((env) =>
    Object.values(env.services).flatMap((service) =>
      service.strategy ? [{ env, service, strategy: service.strategy }] : [],
    ),
  );
}

/**
 * Native deployments: read and stop their own service deployments, and pass ECS the roles it acts
 * with — the conductor's hook-invoke role and each strategy's load-balancer infrastructure role.
 */
function nativeDeploymentStatements(config: ConductorConfig): PolicyStatement[] {
  const native = nativeServices(config);
  if (native.length === 0) return [];
  return [
    {
      Sid: 'FollowNativeDeployments',
      Effect: 'Allow',
      Action: ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'],
      Resource: native.map(({ env, service }) => serviceDeploymentArn(env, service.service)),
    },
    {
      Sid: 'PassNativeDeploymentRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [
        { 'Fn::Sub': '${DeploymentHookInvokeRole.Arn}' },
        ...new Set(native.map(({ strategy }) => strategy.roleArn)),
      ],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } },
    },
  ];
}

/** A service's own service deployments (ECS names them `service-deployment/CLUSTER/SERVICE/ID`). */
function serviceDeploymentArn(env: Environment, service: string): CfnString {
  return arnIn(env, 'ecs', `service-deployment/${clusterName(env)}/${nameOf(service)}/*`);
}

/**
 * The operator's answers to a moving rollout: continue or roll back a deployment paused for approval
 * (services with a strategy in environments approving before production traffic), and abort — stop
 * any of the environment's service deployments (rolling ones too) and its deployment tasks.
 */
function answerDeploymentStatements(config: ConductorConfig): PolicyStatement[] {
  const pausing = nativeServices(config).filter(({ env }) => approvesAtPause(env.gates));
  const stoppable = envs(config).flatMap((env) =>
    Object.values(env.services).map((service) => serviceDeploymentArn(env, service.service)),
  );
  const taskClusters = envs(config).filter((env) => Object.keys(env.deploymentTasks).length > 0);
  return [
    {
      Sid: 'ContinuePausedDeployments',
      Effect: 'Allow',
      Action: ['ecs:ContinueServiceDeployment'],
      Resource: pausing.map(({ env, service }) => serviceDeploymentArn(env, service.service)),
    },
    { Sid: 'AbortServiceDeployments', Effect: 'Allow', Action: ['ecs:StopServiceDeployment'], Resource: stoppable },
    {
      Sid: 'AbortDeploymentTasks',
      Effect: 'Allow',
      Action: ['ecs:StopTask'],
      Resource: taskClusters.map((env) => arnIn(env, 'ecs', `task/${clusterName(env)}/*`)),
    },
  ];
}

function runTaskStatements(config: ConductorConfig): PolicyStatement[] {
  const families = deploymentTaskFamilies(config);
  if (families.length === 0) return [];
  const clusters = clusterArns(config);
  return [
    {
      Sid: 'RunDeploymentTasks',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: families,
      Condition: { ArnEquals: { 'ecs:cluster': clusters } },
    },
    {
      Sid: 'FollowDeploymentTasks',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks'],
      Resource: envs(config).map((env) => arnIn(env, 'ecs', `task/${clusterName(env)}/*`)),
    },
    // ListTasks is authorised on the container instance only; the condition keeps it to our clusters.
    {
      Sid: 'ListDeploymentTasks',
      Effect: 'Allow',
      Action: ['ecs:ListTasks'],
      Resource: '*',
      Condition: { ArnEquals: { 'ecs:cluster': clusters } },
    },
  ];
}

function notifyStatements(config: ConductorConfig): PolicyStatement[] {
  const topics = envs(config).flatMap((env) =>
    env.notificationTopic ? [arnOrBuild(env, env.notificationTopic, 'sns', (name) => name)] : [],
  );
  return topics.length > 0 ? [{ Sid: 'Notify', Effect: 'Allow', Action: ['sns:Publish'], Resource: topics }] : [];
}

/** Every statement `fn`'s role gets, scoped to the resources the config names. */
export function functionPolicyStatements(fn: FunctionName, config: ConductorConfig): PolicyStatement[] {
  const tableArn: CfnString = { 'Fn::Sub': '${StateTable.Arn}' };
  return capabilitiesOf(fn, config)
    .flatMap((capability) => statementsFor(capability, config, tableArn))
    .filter(hasResources);
}

function hasResources(statement: PolicyStatement): boolean {
  return !Array.isArray(statement.Resource) || statement.Resource.length > 0;
}

/**
 * The alarms deploys watch (gates.alarms, `{service}` filled in for every service): DescribeAlarms is
 * authorised per alarm, so only these may be read.
 */
function readAlarmStatements(config: ConductorConfig): PolicyStatement[] {
  return [
    { Sid: 'ReadAlarms', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: watchedAlarmArns(config) },
  ];
}

/**
 * The ARNs of every alarm a deploy may watch, in each environment's account and region: IAM's
 * DescribeAlarms scope and the alarm state-change event rule (packaging/index.ts) both name exactly these.
 */
export function watchedAlarmArns(config: ConductorConfig): CfnString[] {
  return envs(config).flatMap((env) => alarmsWatchedIn(env).map((name) => arnIn(env, 'cloudwatch', `alarm:${name}`)));
}

/** The scan gate reads findings (and waits on them) only in the repositories of environments that declare it. */
function scanFindingStatements(config: ConductorConfig): PolicyStatement[] {
  const gated = envs(config).filter((env) => env.gates?.scan);
  if (gated.length === 0) return [];
  const read: PolicyStatement = {
    Sid: 'ReadScanFindings',
    Effect: 'Allow',
    Action: ['ecr:DescribeImageScanFindings'],
    Resource: gated.map(repositoryArn),
  };
  // In a registry Inspector scans, ECR serves DescribeImageScanFindings from Inspector's findings, and
  // the caller needs inspector2:ListFindings too (ECR user guide, "IAM permissions required for
  // enhanced scanning"); ListFindings takes no resource-level scope, hence "*". A read, not a write.
  const enhanced = gated.some((env) => env.gates?.scan?.scanner === 'enhanced');
  const inspector: PolicyStatement = {
    Sid: 'ReadInspectorFindings',
    Effect: 'Allow',
    Action: ['inspector2:ListFindings'],
    Resource: '*',
  };
  return enhanced ? [read, inspector] : [read];
}

/**
 * What Lambda needs of the hook's role to give it network interfaces in the configured subnets
 * (AWSLambdaVPCAccessExecutionRole, narrowed): create them only in those subnets with those security
 * groups, and manage only network interfaces of this account and region. The two describes take no
 * resource scope in IAM. Nothing when the hook runs outside a VPC.
 */
function hookNetworkStatements(config: ConductorConfig): PolicyStatement[] {
  const network = config.deploymentHook;
  if (!network) return [];
  const ec2 = (resource: string): CfnString => ({
    'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${resource}`,
  });
  const interfaces = ec2('network-interface/*');
  return [
    {
      Sid: 'HookNetworkInterfacesInItsSubnets',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface'],
      Resource: [
        interfaces,
        ...network.subnetIds.map((id) => ec2(`subnet/${id}`)),
        ...network.securityGroupIds.map((id) => ec2(`security-group/${id}`)),
      ],
    },
    {
      Sid: 'HookNetworkInterfacesManaged',
      Effect: 'Allow',
      Action: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      Resource: interfaces,
    },
    {
      Sid: 'HookNetworkDescribed',
      Effect: 'Allow',
      Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      Resource: '*',
    },
  ];
}
