import { nextRerunAt, rerunEveryDays, type RerunSchedule } from './auto-deploy.js';
import type { ServicesDescription, ServiceState, TaskDefinitionSummary } from './ecs-state.js';
import { parseImageReference, type ImageReference } from './image-reference.js';
import { nameOf } from './names.js';
import type { Release } from './release.js';
import { holdsRollout, isRollingOut, type ReleaseState } from './release-states.js';
import type { QueueBacklog, ScalingRecord } from './scaling.js';
import type { Health } from './what-runs.js';
import type { Environment, QueuePolicy, ServiceSettings } from './environment.js';
import { rememberedWakeups, usualWakeup } from './scaling-wakeups.js';
import type { DeploymentGate } from './deployment-gate.js';

/**
 * An environment's status as the API reports it (GET /environments/{env}), shaped from what ECS, SQS
 * and the state table say. Pure: the environment-status query does the reads. The API contract
 * (src/contract/environments.ts) describes these shapes on the wire.
 */

export interface ReleaseSummary {
  id: string;
  version: string;
  state: ReleaseState;
  currentStep: string | null;
  updatedAt: string;
  /** Why it failed, and the automatic rollback's target when one followed. */
  failure?: string;
}

/** What the environment's services run now: the release its last completed rollout rolled out. */
export interface RunningRelease {
  version: string;
  releaseId: string;
  /** The source image's digest the release was built from. */
  digest: string;
}

export interface ServiceStatus {
  key: string;
  name: string;
  status: string;
  /** The running release's version when the service runs one of its images, else null. */
  version: string | null;
  desiredCount: number | null;
  runningCount: number | null;
  pendingCount: number | null;
  configuredDesiredCount: number;
  taskDefinition: { arn: string; family: string; revision: number } | null;
  image: ({ container: string; image: string } & ImageReference) | null;
  rolloutState: string | null;
  rolloutStateReason: string | null;
  deployments: number;
}

export interface QueueStatus extends QueueBacklog {
  key: string;
  queue: string;
  service: string;
  minTasks: number;
  maxTasks: number;
  lastDecision: { at: string; desiredCount: number; reason: string } | null;
  hold: { desiredCount: number; until: string; by?: string } | null;
  /**
   * What the autoscaler has learned of its wake-ups from zero (rule 5b): the count the next one starts
   * at, and the wake-ups of the last week it learned from; null before any.
   */
  wakeups: { usualSize: number; learned: { used: number; at: string }[] } | null;
}

export interface EnvironmentSummary {
  name: string;
  cluster: string;
  state: string;
  activeRelease: ReleaseSummary | null;
}

export interface RoutineRedeployStatus {
  task: string;
  everyDays: number;
  /** Null when no run is known (adopted while ECS showed none): the task is due. */
  lastRunAt: string | null;
  nextDueAt: string;
  failuresInARow: number;
  lastFailure: { at: string; reason: string; releaseId: string } | null;
}

export interface EnvironmentStatus extends EnvironmentSummary {
  /** `production: true` in the config: deploy, rollback and scale need its name in `confirm`. */
  production?: boolean;
  /** Argo CD's model, from what ECS runs: Healthy, Progressing (a rollout under way) or Degraded. */
  health: Health;
  healthReason: string;
  /** The command an operator would run next, or null when all is well. */
  nextStep: string | null;
  /** What `rollback` would return every service to: the release that ran before the one running. */
  rollbackTo: { version: string; releaseId: string } | null;
  currentRelease: ReleaseSummary | null;
  routineRedeploy: RoutineRedeployStatus | null;
  deploymentGate: DeploymentGate;
  services: ServiceStatus[];
  queues: QueueStatus[];
  running: RunningRelease | null;
  latestRelease: ReleaseSummary | null;
}

export function runningRelease(release: Release | undefined): RunningRelease | null {
  return release ? { version: release.version, releaseId: release.id, digest: release.sourceDigest } : null;
}

/** The routine re-run's schedule: when it is next due, and how the last tries failed. */
export function routineRedeployStatus(
  env: Environment,
  schedule: RerunSchedule | undefined,
): RoutineRedeployStatus | null {
  const task = env.rollout.deploymentTask;
  const everyDays = rerunEveryDays(env);
  const nextDueAt = schedule && nextRerunAt(env, schedule);
  if (task === undefined || everyDays === undefined || !schedule || nextDueAt === undefined) return null;
  return {
    task,
    everyDays,
    lastRunAt: schedule.deploymentTaskRunAt,
    nextDueAt,
    failuresInARow: schedule.rerunRetry?.failures ?? 0,
    lastFailure: schedule.rerunRetry?.lastFailure ?? null,
  };
}

/**
 * The release the environment is busy with: the one its rollout lock names while it deploys or bakes,
 * otherwise its newest release while that one builds or deploys.
 */
export function activeReleaseOf(locked: Release | undefined, latest: Release | undefined): Release | undefined {
  if (locked && holdsRollout(locked)) return locked;
  return latest && (latest.state === 'BUILDING' || isRollingOut(latest.state)) ? latest : undefined;
}

function failureSummary(failure: NonNullable<Release['failure']>): string {
  const back = failure.rolledBackTo;
  if (back) return `${failure.reason}; rolled back to ${back.version} (${back.releaseId})`;
  const abortedTo = failure.aborted?.rollsBackTo;
  return abortedTo ? `${failure.reason}; ECS rolls back to ${abortedTo}` : failure.reason;
}

export function releaseSummary(release: Release | undefined): ReleaseSummary | null {
  if (!release) return null;
  return {
    id: release.id,
    version: release.version,
    state: release.state,
    currentStep: release.timeline.at(-1)?.step ?? null,
    updatedAt: release.updatedAt,
    ...(release.failure ? { failure: failureSummary(release.failure) } : {}),
  };
}

/** The environment in one line: its active release, else what it runs and its newest release. */
export function oneLineState(
  active: Release | undefined,
  latest: Release | undefined,
  running: Release | undefined,
): string {
  if (active)
    return `${active.state === 'BUILDING' ? 'building' : active.state === 'DEPLOYING' ? 'deploying' : active.state.toLowerCase()} ${active.version} (${active.id})`;
  const last = latest && `last release ${latest.version} ${latest.state}`;
  if (running) return latest?.id === running.id ? `running ${running.version}` : `running ${running.version}; ${last}`;
  return last ?? 'idle';
}

function serviceStatus(
  key: string,
  configured: ServiceSettings,
  state: ServiceState | undefined,
  definitions: ReadonlyMap<string, TaskDefinitionSummary>,
  running: Release | undefined,
): ServiceStatus {
  const definition = state ? definitions.get(state.taskDefinitionArn) : undefined;
  const container = definition?.containers.find((candidate) => candidate.name === configured.container);
  const primary = state?.deployments.find((deployment) => deployment.status === 'PRIMARY');
  const image = container ? parseImageReference(container.image) : undefined;
  const builtByRunning = Object.values(running?.builds ?? {}).some(
    (build) => build.digest !== undefined && build.digest === image?.digest,
  );
  return {
    key,
    name: state?.name ?? nameOf(configured.service),
    status: state?.status ?? 'MISSING',
    version: builtByRunning && running ? running.version : null,
    desiredCount: state?.desiredCount ?? null,
    runningCount: state?.runningCount ?? null,
    pendingCount: state?.pendingCount ?? null,
    configuredDesiredCount: configured.desiredCount,
    taskDefinition: definition
      ? { arn: definition.arn, family: definition.family, revision: definition.revision }
      : null,
    image: container && image ? { container: container.name, image: container.image, ...image } : null,
    rolloutState: primary?.rolloutState ?? null,
    rolloutStateReason: primary?.rolloutStateReason ?? null,
    deployments: state?.deployments.length ?? 0,
  };
}

/** Every configured service with what ECS described of it (MISSING when ECS does not know it). */
export function servicesStatus(
  env: Environment,
  described: ServicesDescription,
  definitions: ReadonlyMap<string, TaskDefinitionSummary>,
  running: Release | undefined,
): ServiceStatus[] {
  const stateOf = (nameOrArn: string) =>
    described.services.find((state) => state.arn === nameOrArn || state.name === nameOf(nameOrArn));
  return Object.entries(env.services).map(([key, service]) =>
    serviceStatus(key, service, stateOf(service.service), definitions, running),
  );
}

/** What the autoscaler has learned of its wake-ups, as of `now`; null when it remembers none. */
function wakeupsStatus(scaling: ScalingRecord | undefined, queue: QueuePolicy, now: number): QueueStatus['wakeups'] {
  const learned = rememberedWakeups(scaling?.state.wakeups, now);
  if (learned.length === 0) return null;
  return {
    usualSize: Math.min(queue.maxTasks, usualWakeup(scaling?.state.wakeups, now)),
    learned: learned.map((wakeup) => ({ used: wakeup.used, at: new Date(wakeup.at).toISOString() })),
  };
}

/**
 * A queue's backlog and the autoscaler's last stored decision, hold and learned wake-ups, field by
 * field: nothing else it stores.
 */
export function queueStatus(
  key: string,
  queue: QueuePolicy,
  backlog: QueueBacklog,
  scaling: ScalingRecord | undefined,
  now: Date,
): QueueStatus {
  const lastDecision = scaling?.lastDecision;
  // Holds stored before `by` was recorded have none.
  const hold: QueueStatus['hold'] | undefined = scaling?.hold;
  return {
    key,
    queue: queue.queue,
    service: queue.service,
    minTasks: queue.minTasks,
    maxTasks: queue.maxTasks,
    visible: backlog.visible,
    inFlight: backlog.inFlight,
    delayed: backlog.delayed,
    lastDecision: lastDecision
      ? { at: lastDecision.at, desiredCount: lastDecision.desiredCount, reason: lastDecision.reason }
      : null,
    hold: hold
      ? { desiredCount: hold.desiredCount, until: hold.until, ...(hold.by === undefined ? {} : { by: hold.by }) }
      : null,
    wakeups: wakeupsStatus(scaling, queue, now.getTime()),
  };
}
