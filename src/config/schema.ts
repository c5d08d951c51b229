import * as z from 'zod';
import { APPROVAL_POINTS, SCAN_SEVERITIES, SCANNERS } from '../domain/gates.js';
import { NATIVE_STRATEGIES } from '../domain/native-strategy.js';
import { IMAGE_SHAPES, ROLLOUT_ORDERS, type Environment, type Environments } from '../domain/environment.js';
import { createdBuildProjectName } from '../domain/names.js';
import { environmentProblems } from './rules.js';

/**
 * The conductor's configuration: one document describing every environment it manages.
 * Types at the edge come from these schemas; cross-field rules live in `environmentRules`.
 */

const ENV_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;
const AWS_ACCOUNT = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(role|user)\/.+|sts::\d{12}:assumed-role\/.+)$/;

const key = z.string().regex(KEY, 'must be lowercase letters, digits and dashes, at most 32 characters');
const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A name, or an ARN of the given AWS service (`arn:aws:ecs:...`). */
const nameOrArn = (service: string) =>
  nonEmpty.refine((value) => !value.startsWith('arn:') || new RegExp(`^arn:aws[a-z-]*:${service}:`).test(value), {
    message: `must be a name or an ARN of service "${service}"`,
  });

const regexSource = nonEmpty.refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression' },
);

const capacityProviderStrategy = z
  .array(
    z.strictObject({
      capacityProvider: nonEmpty,
      base: z.int().min(0).max(100_000).optional(),
      weight: z.int().min(0).max(1000).optional(),
    }),
  )
  .min(1, 'must list at least one capacity provider');

const launchType = z.enum(['FARGATE', 'EC2', 'EXTERNAL']);

export const entrypointSchema = z.strictObject({
  /** Entrypoint name, e.g. `indexer`. */
  name: key,
  /** Appended to the release version to form the image tag, e.g. `-indexer` → `1.4.0-indexer`. */
  tagSuffix: z.string().regex(/^-[A-Za-z0-9_.-]{1,40}$/, 'must start with "-" followed by tag characters'),
  /** The Dockerfile's `ENTRYPOINT` build argument, e.g. `entrypoint_indexer.sh`. */
  dockerEntrypoint: nonEmpty,
});

export const DEFAULT_ENTRYPOINTS: z.input<typeof entrypointSchema>[] = [
  'wsgi',
  'indexer',
  'ingester',
  'deployment',
].map((name) => ({ name, tagSuffix: `-${name}`, dockerEntrypoint: `entrypoint_${name}.sh` }));

/**
 * Container settings the conductor writes into every task-definition revision it registers for a
 * service or deployment task (everything else stays as the revision before it had it).
 */
const containerSettings = {
  /** Variables set in the container, over the ones of the same name the revision had. */
  environment: z
    .record(z.string(), z.string())
    .refine((variables) => Object.keys(variables).every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)), {
      message: 'names must be environment variable names (letters, digits and _, not starting with a digit)',
    })
    .optional(),
  /** Seconds ECS waits after SIGTERM before SIGKILL (its default is 30; Fargate allows up to 120). */
  stopTimeout: z.int().min(2).max(120).optional(),
};

const elbArn = (what: string, resource: RegExp) =>
  nonEmpty.regex(
    new RegExp(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:${resource.source}`),
    `must be the ARN of ${what}`,
  );
/** An ALB listener rule, or an NLB listener: what carries one kind of traffic to blue or green. */
const listenerRuleArn = elbArn('an ALB listener rule or an NLB listener', /(listener-rule|listener)\//);

/** The smoke check the conductor's hook runs through the test listener before production traffic moves. */
export const smokeCheckSchema = z.strictObject({
  /** The test listener's base URL as the hook Lambda reaches it (it runs in the VPC or reaches the ALB). */
  testListenerUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://internal-alb:8080' }),
  path: z
    .string()
    .regex(/^\/[^\s]*$/, 'must be a path starting with "/"')
    .default('/health'),
  expectedStatus: z.int().min(100).max(599).default(200),
  timeoutSeconds: z.int().min(1).max(60).default(5),
  /** Invocations that may find the listener unreachable before the hook answers FAILED. */
  attempts: z.int().min(1).max(20).default(3),
  retryDelaySeconds: z.int().min(1).max(900).default(15),
});

/** ECS-native blue/green, linear or canary for a service behind a load balancer (domain/native-deployment.ts). */
export const strategySchema = z
  .strictObject({
    type: z.enum(NATIVE_STRATEGIES),
    /** Minutes blue and green both run after production traffic moved; ECS allows 0-1440. */
    bakeTimeInMinutes: z.int().min(0).max(1440).default(10),
    canary: z
      .strictObject({
        percent: z.number().min(0.1).max(100).default(5),
        bakeTimeInMinutes: z.int().min(0).max(1440).default(10),
      })
      .optional(),
    linear: z
      .strictObject({
        stepPercent: z.number().min(3).max(100).default(10),
        stepBakeTimeInMinutes: z.int().min(0).max(1440).default(6),
      })
      .optional(),
    alternateTargetGroupArn: elbArn('a target group', /targetgroup\//),
    productionListenerRule: listenerRuleArn,
    testListenerRule: listenerRuleArn.optional(),
    /** The infrastructure role ECS assumes to move the load balancer's traffic (AmazonECSInfrastructureRolePolicyForLoadBalancers). */
    roleArn: nonEmpty.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN'),
    smokeCheck: smokeCheckSchema.optional(),
  })
  .superRefine((strategy, ctx) => {
    const stray = (key: 'canary' | 'linear', type: string) => {
      if (strategy[key] !== undefined && strategy.type !== type)
        ctx.addIssue({ code: 'custom', path: [key], message: `applies to type ${type} only, not ${strategy.type}` });
    };
    stray('canary', 'CANARY');
    stray('linear', 'LINEAR');
    if (strategy.smokeCheck && !strategy.testListenerRule)
      ctx.addIssue({
        code: 'custom',
        path: ['testListenerRule'],
        message: 'is needed for a smoke check: it routes test traffic to the new revision',
      });
  })
  .transform((strategy) => ({
    ...strategy,
    ...(strategy.type === 'CANARY' ? { canary: strategy.canary ?? { percent: 5, bakeTimeInMinutes: 10 } } : {}),
    ...(strategy.type === 'LINEAR' ? { linear: strategy.linear ?? { stepPercent: 10, stepBakeTimeInMinutes: 6 } } : {}),
  }));

export const serviceSchema = z.strictObject({
  /** ECS service name or ARN (CloudFormation generates real names: pass them through serverless variables). */
  service: nameOrArn('ecs'),
  /** The entrypoint whose image this service runs; defaults to the service's key. */
  entrypoint: key.optional(),
  /** The container in the task definition whose image a release replaces. */
  container: nonEmpty.default('app'),
  /** Task-definition family the service runs; defaults to the service name. Scopes the conductor's IAM. */
  taskDefinitionFamily: nonEmpty.regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be a task-definition family name').optional(),
  /** The service's usual task count (the emulator seed uses it; the status shows drift from it). */
  desiredCount: z.int().min(0).max(5000),
  launchType: launchType.optional(),
  capacityProviderStrategy: capacityProviderStrategy.optional(),
  ...containerSettings,
  /** ECS-native blue/green, linear or canary behind a load balancer; rolling when absent. */
  strategy: strategySchema.optional(),
});

/** A POSIX user name (what useradd accepts on Debian): the image's non-root user. */
const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** How docker/ turns the application image into the images the services run. */
export const imageSchema = z.strictObject({
  shape: z.enum(IMAGE_SHAPES).default('per-entrypoint'),
  /** The non-root user the containers run as: the one owning what the app writes (CGAP: `nginx`). */
  appUser: z
    .string()
    .regex(POSIX_USER, 'must be a POSIX user name such as "nginx"')
    .refine((user) => user !== 'root', { message: 'must not be root: the containers run as a non-root user' })
    .default('app'),
  /**
   * The app's own configuration step, run by every entrypoint before its commands instead of the
   * recipe's renderer (CGAP: `python -m assume_identity`). One shell command line.
   */
  configureCommand: nonEmpty
    .max(1024)
    .regex(/^[^\r\n]*$/, 'must be one line')
    .optional(),
  /**
   * A single-image environment's own entrypoints exit non-zero when a deployment step fails. Without
   * it the deployment gate is reported blind (domain/deployment-gate.ts): CGAP's stock one exits 0.
   */
  exitCodesReliable: z.boolean().optional(),
});

const subnetIds = z
  .array(nonEmpty.regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id'))
  .min(1, 'must list at least one subnet')
  .max(16);
const securityGroupIds = z
  .array(nonEmpty.regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id'))
  .min(1, 'must list at least one security group')
  .max(5);

export const networkSchema = z.strictObject({
  subnets: subnetIds,
  securityGroups: securityGroupIds,
  assignPublicIp: z.boolean().default(false),
});

/**
 * The lifecycle hook Lambda's network: in these subnets and security groups it reaches a load
 * balancer's test listener that is internal (the smoke check's `testListenerUrl`). One function
 * answers every environment's hooks, and a Lambda has one VPC, so this is set once, not per service:
 * written out, or `networkOf: ENV` — the network of that environment's deployment task, which an
 * environment naming its 4dn-cloud-infra stack takes from the stack's outputs (its private subnets and
 * security groups) when not written by hand.
 */
export const deploymentHookSchema = z
  .strictObject({
    subnetIds: subnetIds.optional(),
    securityGroupIds: securityGroupIds.optional(),
    networkOf: z.string().regex(ENV_NAME, 'must be an environment name').optional(),
  })
  .superRefine((hook, ctx) => {
    const written = hook.subnetIds !== undefined || hook.securityGroupIds !== undefined;
    if (hook.networkOf !== undefined && written)
      ctx.addIssue({
        code: 'custom',
        path: ['networkOf'],
        message: 'takes the place of subnetIds and securityGroupIds',
      });
    for (const key of ['subnetIds', 'securityGroupIds'] as const) {
      if (hook.networkOf === undefined && hook[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'is needed (or networkOf: an environment)' });
    }
  });

/** The hook's subnets and security groups, written or those of `networkOf`'s first deployment task. */
function hookNetwork(
  hook: z.output<typeof deploymentHookSchema>,
  environments: Environments,
): { subnetIds: string[]; securityGroupIds: string[] } | undefined {
  if (hook.networkOf === undefined)
    return { subnetIds: hook.subnetIds ?? [], securityGroupIds: hook.securityGroupIds ?? [] };
  const network = Object.values(environments[hook.networkOf]?.deploymentTasks ?? {})[0]?.network;
  return network && { subnetIds: network.subnets, securityGroupIds: network.securityGroups };
}

export const deploymentTaskSchema = z.strictObject({
  /** Task-definition family, family:revision or ARN. */
  taskDefinition: nameOrArn('ecs'),
  entrypoint: key.default('deployment'),
  container: nonEmpty.default('app'),
  /** Destructive tasks (e.g. an initial deployment that wipes the database) never run from a push. */
  destructive: z.boolean().default(false),
  launchType: launchType.optional(),
  capacityProviderStrategy: capacityProviderStrategy.optional(),
  network: networkSchema,
  ...containerSettings,
  timeoutMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
});

export const queueSchema = z.strictObject({
  /** SQS queue name, URL or ARN. */
  queue: nonEmpty,
  /**
   * More queues the same service consumes (names, URLs or ARNs), e.g. CGAP's indexer reads
   * `{env}-indexer-queue` and `{env}-secondary-indexer-queue`: their counts add to this queue's, and
   * one decision scales the service on the sum.
   */
  alsoQueues: z.array(nonEmpty).max(10).default([]),
  /** Key of the service that consumes the queue. */
  service: key,
  minTasks: z.int().min(0).max(1000),
  maxTasks: z.int().min(1).max(1000),
  messagesPerTask: z.int().min(1).max(10_000).default(1),
  stabilizationSeconds: z.int().min(0).max(86_400).default(300),
  /** Used by the emulator seed and to explain redeliveries; CGAP's ingestion queue uses 6 h. */
  visibilityTimeoutSeconds: z.int().min(0).max(43_200).default(30),
  /**
   * Whether the consumer's tasks hold ECS scale-in protection while they work (the recipe's ingester
   * does). CGAP's stock ingestion-listener does not: say false, and the service is never scaled in
   * while a message is in flight.
   */
  tasksProtectThemselves: z.boolean().default(true),
});

export const rolloutSchema = z.strictObject({
  /** CGAP's documented order rolls services first; `deployment-first` runs migrations before services. */
  order: z.enum(ROLLOUT_ORDERS).default('services-first'),
  /** Services rolled by a release, in this order; all services by default. */
  services: z.array(key).optional(),
  /** The routine deployment task run by every release; omit for releases without one. */
  deploymentTask: key.optional(),
  /** Versions matching this pattern roll out by themselves once built. */
  autoDeployPattern: regexSource.optional(),
  autoRollback: z.boolean().default(false),
  stepTimeoutMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Re-run the routine deployment every N days (CGAP rotates access keys at least every 90); 80 when unset (domain/auto-deploy.ts). */
  rerunDeploymentEveryDays: z.int().min(1).max(365).optional(),
});

const principalPattern = nonEmpty.regex(
  PRINCIPAL_ARN,
  'must be an IAM role or user ARN, or an STS assumed-role ARN (* allowed in the name)',
);

export const accessSchema = z.strictObject({
  read: z.array(principalPattern).default([]),
  build: z.array(principalPattern).default([]),
  deploy: z.array(principalPattern).default([]),
  scale: z.array(principalPattern).default([]),
});

/** Release gates (domain/gates.ts): each is off unless declared. */
export const gatesSchema = z.strictObject({
  /** CloudWatch alarm names set as each service's ECS deployment alarms; `{service}` is the service's key. */
  alarms: z
    .array(nonEmpty.max(255).regex(/^[^\s]+$/, 'must be a CloudWatch alarm name without spaces'))
    .min(1, 'must list at least one alarm')
    .max(10)
    .optional(),
  /**
   * Minutes the conductor keeps watching `alarms` after a deploy's last step (the release is BAKING);
   * an alarm in ALARM rolls back. DEFAULT_BAKE_MINUTES (10) when unset; 0 watches the steps only.
   * Whole or half minutes: a half is for trying it out (local mode's example), not for production.
   */
  bakeMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .multipleOf(0.5, 'must be whole or half minutes')
    .optional(),
  /** Refuse images with ECR scan findings at or above `failAt`; wait up to `waitSeconds` for a scan under way. */
  scan: z
    .strictObject({
      failAt: z.enum(SCAN_SEVERITIES).default('CRITICAL'),
      waitSeconds: z.int().min(0).max(600).default(60),
      /** ECR basic scanning, or Amazon Inspector's enhanced scanning of the registry (domain/gates.ts). */
      scanner: z.enum(SCANNERS).default('basic'),
    })
    .optional(),
  /** A deploy waits for a principal on `approve` to approve or reject it; it expires after `expiresAfterMinutes`. */
  approval: z
    .strictObject({
      /**
       * Where the deploy waits: before anything rolls out, or at the ECS-native services' pause before
       * production traffic (the new revision already on the test listener); approve → CONTINUE,
       * reject or expiry → ROLLBACK. The latter needs a service with a native strategy.
       */
      at: z.enum(APPROVAL_POINTS).default('before-rollout'),
      approve: z.array(principalPattern).min(1, 'must list at least one approver'),
      /** The principal who asked for the deploy may not approve it. */
      fourEyes: z.boolean().default(false),
      expiresAfterMinutes: z
        .int()
        .min(1)
        .max(14 * 24 * 60)
        .default(24 * 60),
    })
    .optional(),
  /** Only a release with the same digests that completed in this environment may roll out here. */
  promoteFrom: z.string().regex(ENV_NAME, 'must be an environment name').optional(),
  /** Principals that may pass a refusing gate with a reason (recorded in the timeline and notices). */
  override: z.array(principalPattern).default([]),
});

/** A CloudFormation stack name: letters, digits and dashes, starting with a letter. */
export const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export const environmentSchema = z.strictObject({
  /**
   * The CloudFormation stack the environment's generated names came from (4dn-cloud-infra's ECS
   * stack). Names are taken from it before validation (src/config/stack-names.ts); kept here so that
   * status and adopt can say where the environment lives.
   */
  stack: z.string().regex(STACK_NAME, 'must be a CloudFormation stack name').optional(),
  account: z.string().regex(AWS_ACCOUNT, 'must be a 12-digit AWS account id').optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1')
    .optional(),
  /** ECR repository holding the application's images (name or ARN). */
  repository: nameOrArn('ecr'),
  /** Tags that start a release build when pushed; derived entrypoint tags must not match. */
  sourceTagPattern: regexSource.default('^v?\\d+\\.\\d+\\.\\d+$|^[0-9a-f]{7,40}$'),
  /**
   * An existing CodeBuild project that runs buildspec/buildspec.yml; omitted, the stack creates one.
   * A single-image environment builds nothing and has no project.
   */
  codebuild: z.strictObject({ project: nameOrArn('codebuild').optional() }).default({}),
  /** Also push a moving alias per entrypoint with every build: `latest` → `latest-indexer`. */
  imageAliasPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/, 'must be an image tag prefix such as "latest"')
    .optional(),
  image: imageSchema.default({ shape: 'per-entrypoint', appUser: 'app' }),
  entrypoints: z.array(entrypointSchema).min(1, 'must list at least one entrypoint').default(DEFAULT_ENTRYPOINTS),
  cluster: nameOrArn('ecs'),
  services: z.record(key, serviceSchema),
  deploymentTasks: z.record(key, deploymentTaskSchema).default({}),
  queues: z.record(key, queueSchema).default({}),
  rollout: rolloutSchema.default({ order: 'services-first', autoRollback: false, stepTimeoutMinutes: 30 }),
  access: accessSchema.default({ read: [], build: [], deploy: [], scale: [] }),
  /** Roles the conductor may pass to ECS when it registers task definitions (task and execution roles). */
  taskRoles: z.array(nameOrArn('iam')).default([]),
  /** Optional SNS topic ARN for release notifications (started, completed, failed). */
  notificationTopic: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN')
    .optional(),
  gates: gatesSchema.optional(),
  /** A production environment: deploy, rollback and scale need its name repeated (`--confirm ENV`). */
  production: z.boolean().optional(),
});

/** One path leads to the other: a rule's problem there would repeat a field's. */
const overlaps = (a: readonly PropertyKey[], b: readonly PropertyKey[]) =>
  a.slice(0, b.length).every((segment, index) => String(segment) === String(b[index]));

// Cross-field rules run even when fields failed (`when`), so every problem is listed at once; one on
// a path a field problem already names is left out.
const checkedEnvironmentSchema = environmentSchema.superRefine(
  (env, ctx) => {
    const failed = ctx.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...(issue.path ?? []), key]) : [issue.path ?? []],
    );
    for (const problem of environmentProblems(env)) {
      if (failed.some((path) => overlaps(path, problem.path) || overlaps(problem.path, path))) continue;
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  },
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

type ParsedEnvironment = z.output<typeof environmentSchema>;

/** Names the created project of an environment that builds and names none (its name is the record key). */
function withBuildProject(name: string, env: ParsedEnvironment): Environment {
  const { project } = env.codebuild;
  if (env.image.shape === 'single-image') return { ...env, codebuild: undefined };
  const codebuild =
    project === undefined ? { project: createdBuildProjectName(name), managed: true } : { project, managed: false };
  return { ...env, codebuild };
}

export const conductorConfigSchema = z
  .strictObject({
    /** Where the lifecycle hook Lambda runs; outside any VPC when absent. */
    deploymentHook: deploymentHookSchema.optional(),
    environments: z
      .record(z.string(), checkedEnvironmentSchema)
      .superRefine((environments, ctx) => {
        const names = Object.keys(environments);
        for (const [name, env] of Object.entries(environments)) {
          const from = env.gates?.promoteFrom;
          if (from === undefined || (names.includes(from) && from !== name)) continue;
          ctx.addIssue({
            code: 'custom',
            path: [name, 'gates', 'promoteFrom'],
            message: from === name ? 'must name another environment' : `no environment "${from}" in the config`,
          });
        }
        if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'must define at least one environment' });
        for (const name of names.filter((candidate) => !ENV_NAME.test(candidate))) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'environment names must be lowercase letters, digits and dashes',
          });
        }
      })
      .transform(
        (environments): Environments =>
          Object.fromEntries(Object.entries(environments).map(([name, env]) => [name, withBuildProject(name, env)])),
      ),
  })
  .superRefine((config, ctx) => {
    const hook = config.deploymentHook;
    if (hook?.networkOf === undefined || hookNetwork(hook, config.environments)) return;
    const known = Object.hasOwn(config.environments, hook.networkOf);
    ctx.addIssue({
      code: 'custom',
      path: ['deploymentHook', 'networkOf'],
      message: known
        ? `environment "${hook.networkOf}" has no deployment task, whose network the hook would take`
        : `no environment "${hook.networkOf}" in the config`,
    });
  })
  .transform(({ deploymentHook, ...config }) => {
    const network = deploymentHook && hookNetwork(deploymentHook, config.environments);
    return { ...config, ...(network ? { deploymentHook: network } : {}) };
  });

export type ConductorConfigInput = z.input<typeof conductorConfigSchema>;
export type ConductorConfig = z.output<typeof conductorConfigSchema>;
