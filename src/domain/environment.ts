import type { GateSettings } from './gates.js';
import type { NativeStrategy } from './native-strategy.js';

/**
 * The conductor's model of an environment: what it builds, what it runs and how it rolls and scales.
 * The domain owns these types; the config (src/config/schema.ts) validates a document, applies its
 * defaults and maps onto them at its edge, so nothing here knows a config file exists.
 */

export type LaunchType = 'FARGATE' | 'EC2' | 'EXTERNAL';

export interface CapacityProviderItem {
  capacityProvider: string;
  base?: number | undefined;
  weight?: number | undefined;
}

/** What the conductor writes into the container of every revision it registers for a service or task. */
export interface ContainerOverrides {
  /** Variables set in the container, over those of the same name the revision had. */
  environment?: Record<string, string> | undefined;
  /** Seconds ECS waits after SIGTERM before SIGKILL. */
  stopTimeout?: number | undefined;
}

/** Where a service or task is placed: a launch type or a capacity-provider strategy (or neither). */
export interface Placement {
  launchType?: LaunchType | undefined;
  capacityProviderStrategy?: CapacityProviderItem[] | undefined;
}

/** One entrypoint of the application image: its own image tag and the script that starts it. */
export interface Entrypoint {
  /** e.g. `indexer`. */
  name: string;
  /** Appended to the release version to form the image tag: `-indexer` → `1.4.0-indexer`. */
  tagSuffix: string;
  /** The Dockerfile's `ENTRYPOINT` build argument, e.g. `entrypoint_indexer.sh`. */
  dockerEntrypoint: string;
}

/**
 * How an environment's images are made. `per-entrypoint`: a push of a source tag starts one build per
 * entrypoint (docker/ on the app image). `single-image` (CGAP today): the pushed image is the release;
 * every service and deployment task runs it, each picking its entrypoint with its own environment
 * (`application_type`), and nothing is built.
 */
export const IMAGE_SHAPES = ['per-entrypoint', 'single-image'] as const;
export type ImageShape = (typeof IMAGE_SHAPES)[number];

/** How docker/ turns the application image into the images the services run. */
export interface ImageRecipe {
  shape: ImageShape;
  /** The non-root user the containers run as. */
  appUser: string;
  /** The app's own configuration step, run by every entrypoint before its commands. */
  configureCommand?: string | undefined;
  /** A single-image environment's entrypoints exit non-zero when a step fails (domain/deployment-gate.ts). */
  exitCodesReliable?: boolean | undefined;
}

export interface ServiceSettings extends Placement, ContainerOverrides {
  /** ECS service name or ARN. */
  service: string;
  /** The entrypoint whose image this service runs; the service's key when absent. */
  entrypoint?: string | undefined;
  /** The container in the task definition whose image a release replaces. */
  container: string;
  /** Task-definition family the service runs; the service name when absent. */
  taskDefinitionFamily?: string | undefined;
  /** The service's usual task count. */
  desiredCount: number;
  /** ECS-native blue/green, linear or canary (domain/native-deployment.ts); rolling when absent. */
  strategy?: NativeStrategy | undefined;
}

export interface TaskNetwork {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

export interface DeploymentTaskSettings extends Placement, ContainerOverrides {
  /** Task-definition family, family:revision or ARN. */
  taskDefinition: string;
  entrypoint: string;
  container: string;
  /** Destructive tasks (an initial deployment that wipes the database) never run from a push. */
  destructive: boolean;
  network: TaskNetwork;
  timeoutMinutes: number;
}

/** How a queue's backlog drives the count of the service that consumes it. */
export interface QueuePolicy {
  /** SQS queue name, URL or ARN. */
  queue: string;
  /** More queues the same service consumes: their counts add to this one's, one decision on the sum. */
  alsoQueues: string[];
  /** Key of the service that consumes the queue. */
  service: string;
  minTasks: number;
  maxTasks: number;
  messagesPerTask: number;
  stabilizationSeconds: number;
  visibilityTimeoutSeconds: number;
  /** Whether the consumer's tasks hold ECS scale-in protection while they work. */
  tasksProtectThemselves: boolean;
}

export const ROLLOUT_ORDERS = ['services-first', 'deployment-first'] as const;
export type RolloutOrder = (typeof ROLLOUT_ORDERS)[number];

export interface RolloutSettings {
  order: RolloutOrder;
  /** Services rolled by a release, in this order; all services when absent. */
  services?: string[] | undefined;
  /** The routine deployment task run by every release. */
  deploymentTask?: string | undefined;
  /** Versions matching this pattern roll out by themselves once built. */
  autoDeployPattern?: string | undefined;
  autoRollback: boolean;
  stepTimeoutMinutes: number;
  /** Re-run the routine deployment every N days (domain/auto-deploy.ts holds the default). */
  rerunDeploymentEveryDays?: number | undefined;
}

export const ACCESS_ACTIONS = ['read', 'build', 'deploy', 'scale'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];
/** Principal patterns (IAM ARNs, `*` allowed in the name) allowed each action. */
export type AccessLists = Record<AccessAction, string[]>;

/** The build project an environment's releases run on; `managed` when the conductor's stack creates it. */
export interface BuildProject {
  project: string;
  managed: boolean;
}

export interface Environment {
  /** The CloudFormation stack the environment's generated names came from. */
  stack?: string | undefined;
  account?: string | undefined;
  region?: string | undefined;
  /** ECR repository holding the application's images (name or ARN). */
  repository: string;
  /** Tags that start a release when pushed. */
  sourceTagPattern: string;
  /** The build project, or none for a single-image environment, which builds nothing. */
  codebuild: BuildProject | undefined;
  /** A moving alias pushed per entrypoint with every build: `latest` → `latest-indexer`. */
  imageAliasPrefix?: string | undefined;
  image: ImageRecipe;
  entrypoints: Entrypoint[];
  cluster: string;
  services: Record<string, ServiceSettings>;
  deploymentTasks: Record<string, DeploymentTaskSettings>;
  queues: Record<string, QueuePolicy>;
  rollout: RolloutSettings;
  access: AccessLists;
  /** Roles the conductor may pass to ECS when it registers task definitions. */
  taskRoles: string[];
  /** SNS topic ARN for release notices. */
  notificationTopic?: string | undefined;
  /** What a release must pass before it rolls out here (domain/gates.ts); none when absent. */
  gates?: GateSettings | undefined;
  /** Production: deploy, rollback and scale need the environment's name as confirmation. */
  production?: boolean | undefined;
}

/** Every environment the conductor manages, by name. */
export type Environments = Record<string, Environment>;

/** An environment that builds its images: its build project named. */
export type BuildingEnvironment = Environment & { codebuild: BuildProject };

/** Per-entrypoint environments build; single-image ones have no build project. */
export function buildsImages(env: Environment): env is BuildingEnvironment {
  return env.codebuild !== undefined;
}

/** An environment resolved once (per request or event), passed on with its name. */
export interface NamedEnvironment {
  name: string;
  env: Environment;
}

/**
 * A record's own entry for a key that came from outside (a path, a body). A plain `record[key]`
 * would also find Object.prototype's members for keys such as `constructor`.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
