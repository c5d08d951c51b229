import type { BuildProjectSource } from '../domain/build-recipe.js';
import type {
  RunTaskRequest,
  ServicesDescription,
  ServiceState,
  TaskDefinitionSummary,
  TaskState,
} from '../domain/ecs-state.js';
import type { RerunRetry } from '../domain/auto-deploy.js';
import type { ContainerOverrides } from '../domain/environment.js';
import type { ObservedServiceDeployment, SmokeResult } from '../domain/native-deployment.js';
import type { NativeStrategy } from '../domain/native-strategy.js';
import type { Release } from '../domain/release.js';
import type { PauseAction } from '../domain/approval.js';
import type { ScanReport } from '../domain/gates.js';
import type { AlarmReading } from '../domain/alarm-watch.js';
import type { Heartbeat, Tick } from '../domain/autoscale-chain.js';
import type { QueueBacklog, ScalingRecord } from '../domain/scaling.js';

/**
 * The ports of the core: what the use cases need from the world, in the core's own terms. The
 * adapters in src/aws implement them; tests implement them in memory (test/support/in-memory-ports.ts).
 */

export interface Clock {
  now: () => Date;
}

// ---- the state table ----

export interface StoredRelease {
  release: Release;
  /** Optimistic-concurrency version of the stored release. */
  version: number;
}

export interface ReleasePage {
  releases: Release[];
  /** Opaque cursor for the next page, absent on the last one. */
  cursor?: string;
}

/** Releases as stored: created once, changed only by pure transitions, listed newest first. */
export interface ReleaseRepository {
  get: (id: string) => Promise<StoredRelease | undefined>;
  /** False when a release with its id exists already (a redelivered trigger). */
  create: (release: Release) => Promise<boolean>;
  /** Applies the transition with optimistic concurrency; undefined if the release does not exist. */
  update: (id: string, transition: (release: Release) => Release) => Promise<Release | undefined>;
  listForEnvironment: (environment: string, page: { limit: number; cursor?: string }) => Promise<ReleasePage>;
}

/** The environment's rollout lock: who holds it, for which release, until when (epoch seconds). */
export interface EnvironmentLock {
  owner: string;
  releaseId: string;
  leaseExpiresAt: number;
}

/** One rollout per environment: a lease named `<releaseId>@<request>`. */
export interface EnvironmentLocks {
  /** False while another owner holds an unexpired lease. */
  lock: (environment: string, owner: string, leaseSeconds: number, now: Date) => Promise<boolean>;
  /** Who holds the lock (even if its lease lapsed), or undefined. */
  holder: (environment: string) => Promise<EnvironmentLock | undefined>;
  unlock: (environment: string, owner: string) => Promise<boolean>;
}

/** The release an environment runs now. */
export interface CurrentRelease {
  releaseId: string;
  /** When the environment started running it. */
  since: string;
  /**
   * When its routine deployment task last succeeded (adopted: last ran), for periodic re-runs; null
   * when no run is known (adopted while ECS showed none): the re-run is due.
   */
  deploymentTaskRunAt: string | null;
  /** Set while routine re-runs fail: the next try waits (domain/auto-deploy.ts). */
  rerunRetry?: RerunRetry | undefined;
}

export interface EnvironmentState {
  lock: EnvironmentLock | undefined;
  current: CurrentRelease | undefined;
}

export interface CurrentReleases {
  current: (environment: string) => Promise<CurrentRelease | undefined>;
  setCurrent: (environment: string, current: CurrentRelease) => Promise<void>;
  /** The lock and the current release from one consistent read. */
  environmentState: (environment: string) => Promise<EnvironmentState>;
}

export interface BuildReference {
  releaseId: string;
  entrypoint: string;
}

/** Index rows that lead an AWS event (a build, a service deployment) back to its release. */
export interface ReleaseIndex {
  indexBuild: (buildId: string, reference: BuildReference) => Promise<void>;
  findBuild: (buildId: string) => Promise<BuildReference | undefined>;
  indexDeployment: (deploymentId: string, releaseId: string) => Promise<void>;
  findDeployment: (deploymentId: string) => Promise<string | undefined>;
}

/** A claim covers one AWS write (a build's start, a service's roll, a task's run) for a release. */
export interface Claims {
  claim: (releaseId: string, action: string, owner: string, leaseSeconds: number, now: Date) => Promise<boolean>;
  /** Gives a claim back after a failed write, so a retry need not wait for the lease to lapse. */
  giveBack: (releaseId: string, action: string, owner: string) => Promise<boolean>;
}

/** Long enough for one AWS write; a crashed claimer's write is retried once it lapses. */
export const CLAIM_LEASE_SECONDS = 120;

export interface StoredScaling {
  record: ScalingRecord;
  version: number;
}

/** What the autoscaler reads of one environment at once: its scaling records and rollout lock. */
export interface EnvironmentScaling {
  /** Stored records by queue key. */
  records: Map<string, StoredScaling>;
  lock: EnvironmentLock | undefined;
}

export interface ScalingRecords {
  get: (environment: string, queue: string) => Promise<StoredScaling | undefined>;
  readEnvironment: (environment: string) => Promise<EnvironmentScaling>;
  /** Saves if nobody wrote since `expectedVersion` was read (0: the first write); false otherwise. */
  save: (environment: string, queue: string, record: ScalingRecord, expectedVersion: number) => Promise<boolean>;
}

/** The autoscaler's tick-chain heartbeat; each write is conditional, so one chain wins. */
export interface ChainHeartbeat {
  read: () => Promise<Heartbeat | undefined>;
  /** Writes seq 0 of a new chain unless a heartbeat newer than `staleBefore` is stored; false if one is. */
  start: (heartbeat: Heartbeat, staleBefore: Date) => Promise<boolean>;
  /** Writes the tick unless the stored heartbeat is not its predecessor (same chain, seq - 1). */
  advance: (heartbeat: Heartbeat) => Promise<boolean>;
}

// ---- AWS services, as the core uses them ----

/** The queue that carries the autoscaler's next tick, delivered after a delay. */
export interface TickQueue {
  send: (tick: Tick, delaySeconds: number) => Promise<void>;
}

export interface ServiceControl {
  describeServices: (cluster: string, names: string[]) => Promise<ServicesDescription>;
  /** Deploys the task definition with the circuit breaker, and these CloudWatch alarms as its deployment alarms. */
  updateServiceTaskDefinition: (
    cluster: string,
    service: string,
    taskDefinitionArn: string,
    alarmNames?: string[],
  ) => Promise<ServiceState>;
  setDesiredCount: (cluster: string, service: string, count: number) => Promise<void>;
  /**
   * Deploys the task definition with an ECS-native strategy (blue/green, linear, canary): its bake
   * time, the load balancer's alternate target group and listener rules, the conductor's hook
   * Lambda at the strategy's hook stages, and the alarms. Returns the service deployment it made.
   */
  startNativeDeployment: (request: NativeDeploymentRequest) => Promise<NativeDeploymentStart>;
  /** The service deployments ECS still knows, by ARN. */
  describeServiceDeployments: (arns: string[]) => Promise<ObservedServiceDeployment[]>;
  /** Stops a service deployment in progress and rolls it back (StopServiceDeployment, ROLLBACK). */
  stopServiceDeployment: (arn: string) => Promise<void>;
  /** Answers a deployment paused at its PAUSE hook: go on (CONTINUE) or roll back (ContinueServiceDeployment). */
  continueServiceDeployment: (arn: string, hookId: string, action: PauseAction) => Promise<void>;
}

export interface NativeDeploymentRequest {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  strategy: NativeStrategy;
  alarmNames: string[];
  /**
   * Pause before production traffic for the approval gate (gates.approval.at before-production-traffic):
   * a PAUSE hook that ECS ends by ROLLBACK after `timeoutMinutes` with no answer.
   */
  approvalPause?: { timeoutMinutes: number } | undefined;
}

export interface NativeDeploymentStart {
  serviceDeploymentArn: string;
  /** The service's deployment id (`ecs-svc/…`), as rolling deployments have. */
  deploymentId: string | undefined;
  service: ServiceState;
}

/** A RunTask that ECS refused to place (its failures), as opposed to a call that failed. */
export type TaskStart = { started: true; taskArn: string } | { started: false; reasons: string[] };

export interface TaskControl {
  describeTaskDefinition: (arnOrFamily: string) => Promise<TaskDefinitionSummary>;
  /**
   * Registers a copy of `sourceArn` with the given container images and, by container name, the
   * given settings; returns the new revision's ARN.
   */
  registerTaskDefinitionWithImages: (
    sourceArn: string,
    images: Record<string, string>,
    settings?: Record<string, ContainerOverrides>,
  ) => Promise<string>;
  runTask: (request: RunTaskRequest) => Promise<TaskStart>;
  describeTasks: (cluster: string, taskArns: string[]) => Promise<TaskState[]>;
  /** Stops a running task (StopTask), with the reason ECS records; a task already stopped is left as it is. */
  stopTask: (cluster: string, taskArn: string, reason: string) => Promise<void>;
  /** The tasks of a task-definition family that ECS still shows in the cluster, running or stopped. */
  tasksOfFamily: (cluster: string, family: string) => Promise<TaskState[]>;
}

/** An HTTP GET with a time limit, as the deployment hook's smoke check makes it through the test listener. */
export interface SmokeProbe {
  get: (url: string, timeoutSeconds: number) => Promise<SmokeResult>;
}

export interface QueueMetrics {
  queueBacklog: (queue: string) => Promise<QueueBacklog>;
}

export interface StartBuildRequest {
  /** Project name (or ARN of a project shared with the account). */
  project: string;
  environmentVariables: Record<string, string>;
  /** The same token within CodeBuild's window (5 minutes) starts one build, however often it is sent. */
  idempotencyToken: string;
  /** A source version other than the project's own (a branch, tag or commit). */
  sourceVersion?: string;
}

export interface BuildDetails {
  status: string;
  /** The first phase that did not succeed. */
  failedPhase?: string | undefined;
  logsDeepLink?: string | undefined;
}

export interface BuildRunner {
  startBuild: (request: StartBuildRequest) => Promise<string>;
  /** The project's source type and buildspec; undefined when there is no such project. */
  describeProject: (project: string) => Promise<BuildProjectSource | undefined>;
  /** Builds CodeBuild still knows, by id; unknown ids are left out. */
  describeBuilds: (buildIds: string[]) => Promise<Map<string, BuildDetails>>;
}

export interface ImageRegistry {
  /** The digest of `repository:tag`, or undefined when there is no such image. */
  imageDigest: (repository: string, tag: string) => Promise<string | undefined>;
  /** `123456789012.dkr.ecr.us-east-1.amazonaws.com/repo` for a repository name or ARN. */
  repositoryUri: (repository: string) => Promise<string>;
  /** The image's scan findings, waiting up to `waitSeconds` while a scan is under way. */
  scanReport: (repository: string, digest: string, waitSeconds: number) => Promise<ScanReport>;
}

/** CloudWatch alarms, read as the conductor watches them through a rollout and its bake. */
export interface AlarmReader {
  /** The named alarms that exist, with their states; a name CloudWatch does not know is left out. */
  describeAlarms: (names: string[]) => Promise<AlarmReading[]>;
}

/**
 * `rerun-failed`: a routine re-run of the deployment task failed or did not start; its details say when
 * it is tried next. `gate-overridden`: a gate refused the release and an operator passed it anyway.
 * `awaiting-approval` / `approval-rejected`: the approval gate holds a deploy, or an approver rejected it.
 * `rolling-back`: a failed deploy (a task, a service, an alarm in ALARM) is being rolled back automatically, to `to`.
 */
export type ReleaseNotice =
  | 'started'
  | 'completed'
  | 'failed'
  | 'rerun-failed'
  | 'gate-overridden'
  | 'awaiting-approval'
  | 'approval-rejected'
  | 'rolling-back';

/** Publishes what happened to a release; a lost notice must never fail a rollout. */
export interface ReleaseNotifier {
  notify: (release: Release, event: ReleaseNotice, details?: Record<string, string>) => Promise<void>;
}

/** Counts what operators alarm on. */
export interface RolloutMetrics {
  /** A rollout step ran past its timeout (the stuck-release alarm counts these). */
  stepTimedOut: (release: Release) => void;
}

// ---- what each family of use cases is given ----

/** Everything the release use cases (builds, rollouts, reconcile) may use; each takes the part it needs. */
export interface ReleasePorts extends Clock {
  releases: ReleaseRepository;
  locks: EnvironmentLocks;
  current: CurrentReleases;
  index: ReleaseIndex;
  claims: Claims;
  services: ServiceControl;
  tasks: TaskControl;
  images: ImageRegistry;
  alarms: AlarmReader;
  builds: BuildRunner;
  notifier: ReleaseNotifier;
  metrics: RolloutMetrics;
  /** Who acts (an invocation, or a push): claims and locks are taken in its name. */
  owner: string;
}

/** What the autoscaler is given. */
export interface AutoscalePorts extends Clock {
  scaling: ScalingRecords;
  releases: Pick<ReleaseRepository, 'get'>;
  services: Pick<ServiceControl, 'describeServices' | 'setDesiredCount'>;
  queues: QueueMetrics;
}

/** What keeps the autoscaler's tick chain going. */
export interface AutoscaleChainPorts extends Clock {
  heartbeat: ChainHeartbeat;
  ticks: TickQueue;
  newChainId: () => string;
}

/** What listForEnvironment rejects with for a page cursor this API did not issue (or issued for another environment's listing). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';

  constructor(readonly cursor: string) {
    super('is not a cursor from a previous page');
  }
}
