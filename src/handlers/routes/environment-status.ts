import * as z from 'zod';
import type { ServicesDescription, ServiceState, TaskDefinitionSummary } from '../../domain/ecs-state.js';
import type { QueueBacklog } from '../../domain/scaling.js';
import type { ConductorConfig, EnvironmentConfig } from '../../config/schema.js';
import { RELEASE_STATES, type Release } from '../../domain/release.js';
import { nameOf } from '../../domain/names.js';
import { parseImageReference } from './image-reference.js';

/**
 * What GET /environments and GET /environments/{env} read, and how they shape it. Everything AWS or
 * the state table says comes through `EnvironmentStatusDeps`, so the views are testable without AWS.
 */

export interface ScalingStatus {
  /** The last stored decision: checks that change nothing are not stored, so it can be half a stabilization window old. */
  lastDecision?: { at: string; desiredCount: number; reason: string };
  /** A manual hold (POST …/scale with holdMinutes): the autoscaler leaves the count alone until then. */
  hold?: { desiredCount: number; until: string; by?: string };
}

export interface EnvironmentStatusDeps {
  config: ConductorConfig;
  /** ECS DescribeServices, batched by the adapter (10 names per call). */
  describeServices: (cluster: string, names: string[]) => Promise<ServicesDescription>;
  describeTaskDefinition: (arn: string) => Promise<TaskDefinitionSummary>;
  queueBacklog: (queue: string) => Promise<QueueBacklog>;
  /** The release being built or rolled out in the environment now, if any. */
  activeRelease: (environment: string) => Promise<Release | undefined>;
  /** The environment's newest release, whatever its state. */
  latestRelease: (environment: string) => Promise<Release | undefined>;
  /** The autoscaler's last decision and any manual hold for one queue-driven service. */
  scalingStatus: (environment: string, queueKey: string) => Promise<ScalingStatus | undefined>;
}

export const releaseSummarySchema = z.object({
  id: z.string(),
  version: z.string(),
  state: z.enum(RELEASE_STATES),
  currentStep: z.string().nullable().describe("the release's latest timeline step"),
  updatedAt: z.string(),
});

export const environmentSummarySchema = z.object({
  name: z.string(),
  cluster: z.string(),
  state: z.string().describe('one line: "idle", "deploying 1.4.0 (rel-…)", "last release 1.3.9 COMPLETED"'),
  activeRelease: releaseSummarySchema.nullable(),
});

export const environmentListSchema = z.object({ environments: z.array(environmentSummarySchema) });

export const serviceStatusSchema = z.object({
  key: z.string(),
  name: z.string(),
  status: z.string().describe('ACTIVE, DRAINING, INACTIVE, or MISSING when ECS does not know the service'),
  desiredCount: z.int().nullable(),
  runningCount: z.int().nullable(),
  pendingCount: z.int().nullable(),
  configuredDesiredCount: z.int(),
  taskDefinition: z.object({ arn: z.string(), family: z.string(), revision: z.int() }).nullable(),
  image: z
    .object({
      container: z.string(),
      image: z.string(),
      repository: z.string(),
      tag: z.string().nullable(),
      digest: z.string().nullable(),
    })
    .nullable()
    .describe("the configured container's image, or null when the task definition has no such container"),
  rolloutState: z
    .string()
    .nullable()
    .describe("the PRIMARY deployment's rolloutState: IN_PROGRESS, COMPLETED or FAILED"),
  rolloutStateReason: z.string().nullable(),
  deployments: z.int().describe('ECS deployments of the service; more than one while a rollout is under way'),
});

export const queueStatusSchema = z.object({
  key: z.string(),
  queue: z.string(),
  service: z.string(),
  minTasks: z.int(),
  maxTasks: z.int(),
  visible: z.int(),
  inFlight: z.int(),
  delayed: z.int(),
  lastDecision: z
    .object({
      at: z.string().describe('when the autoscaler made this decision'),
      desiredCount: z.int(),
      reason: z.string(),
    })
    .nullable()
    .describe(
      'the last decision the autoscaler stored: it stores a change of count or evidence, and otherwise one every half stabilization window',
    ),
  hold: z
    .object({ desiredCount: z.int(), until: z.string(), by: z.string().optional().describe('who set the hold') })
    .nullable(),
});

export const environmentStatusSchema = z.object({
  name: z.string(),
  cluster: z.string(),
  state: z.string(),
  services: z.array(serviceStatusSchema),
  queues: z.array(queueStatusSchema),
  activeRelease: releaseSummarySchema.nullable(),
  latestRelease: releaseSummarySchema.nullable(),
});

type ReleaseSummary = z.output<typeof releaseSummarySchema>;
type ServiceStatus = z.output<typeof serviceStatusSchema>;
type QueueStatus = z.output<typeof queueStatusSchema>;

export function releaseSummary(release: Release | undefined): ReleaseSummary | null {
  if (!release) return null;
  return {
    id: release.id,
    version: release.version,
    state: release.state,
    currentStep: release.timeline.at(-1)?.step ?? null,
    updatedAt: release.updatedAt,
  };
}

/** The environment in one line, from its active release or else its newest one. */
export function oneLineState(active: Release | undefined, latest: Release | undefined): string {
  if (active)
    return `${active.state === 'BUILDING' ? 'building' : active.state === 'DEPLOYING' ? 'deploying' : active.state.toLowerCase()} ${active.version} (${active.id})`;
  if (latest) return `last release ${latest.version} ${latest.state}`;
  return 'idle';
}

function serviceStatus(
  key: string,
  configured: EnvironmentConfig['services'][string],
  state: ServiceState | undefined,
  definitions: Map<string, TaskDefinitionSummary>,
): ServiceStatus {
  const definition = state ? definitions.get(state.taskDefinitionArn) : undefined;
  const container = definition?.containers.find((candidate) => candidate.name === configured.container);
  const primary = state?.deployments.find((deployment) => deployment.status === 'PRIMARY');
  return {
    key,
    name: state?.name ?? nameOf(configured.service),
    status: state?.status ?? 'MISSING',
    desiredCount: state?.desiredCount ?? null,
    runningCount: state?.runningCount ?? null,
    pendingCount: state?.pendingCount ?? null,
    configuredDesiredCount: configured.desiredCount,
    taskDefinition: definition
      ? { arn: definition.arn, family: definition.family, revision: definition.revision }
      : null,
    image: container
      ? { container: container.name, image: container.image, ...parseImageReference(container.image) }
      : null,
    rolloutState: primary?.rolloutState ?? null,
    rolloutStateReason: primary?.rolloutStateReason ?? null,
    deployments: state?.deployments.length ?? 0,
  };
}

/** Every configured service with ECS's live counts, its task definition and image, and its rollout state. */
async function servicesStatus(deps: EnvironmentStatusDeps, env: EnvironmentConfig): Promise<ServiceStatus[]> {
  const configured = Object.entries(env.services);
  if (configured.length === 0) return [];
  // One DescribeServices for the whole environment (the adapter splits it into calls of 10).
  const described = await deps.describeServices(
    env.cluster,
    configured.map(([, service]) => service.service),
  );
  const stateOf = (nameOrArn: string) =>
    described.services.find((state) => state.arn === nameOrArn || state.name === nameOf(nameOrArn));
  const arns = [...new Set(described.services.map((state) => state.taskDefinitionArn).filter((arn) => arn !== ''))];
  const definitions = new Map(
    await Promise.all(arns.map(async (arn) => [arn, await deps.describeTaskDefinition(arn)] as const)),
  );
  return configured.map(([key, service]) => serviceStatus(key, service, stateOf(service.service), definitions));
}

async function queuesStatus(deps: EnvironmentStatusDeps, name: string, env: EnvironmentConfig): Promise<QueueStatus[]> {
  return Promise.all(
    Object.entries(env.queues).map(async ([key, queue]) => {
      const [backlog, scaling] = await Promise.all([deps.queueBacklog(queue.queue), deps.scalingStatus(name, key)]);
      return {
        key,
        queue: queue.queue,
        service: queue.service,
        minTasks: queue.minTasks,
        maxTasks: queue.maxTasks,
        ...backlog,
        // Field by field: whatever else the autoscaler stores stays out of the reply.
        lastDecision: scaling?.lastDecision
          ? {
              at: scaling.lastDecision.at,
              desiredCount: scaling.lastDecision.desiredCount,
              reason: scaling.lastDecision.reason,
            }
          : null,
        hold: scaling?.hold
          ? {
              desiredCount: scaling.hold.desiredCount,
              until: scaling.hold.until,
              ...(scaling.hold.by === undefined ? {} : { by: scaling.hold.by }),
            }
          : null,
      };
    }),
  );
}

/** The live status of one environment, read from ECS, SQS and the state table in parallel. */
export async function environmentStatus(
  deps: EnvironmentStatusDeps,
  name: string,
  env: EnvironmentConfig,
): Promise<z.output<typeof environmentStatusSchema>> {
  const [services, queues, active, latest] = await Promise.all([
    servicesStatus(deps, env),
    queuesStatus(deps, name, env),
    deps.activeRelease(name),
    deps.latestRelease(name),
  ]);
  return {
    name,
    cluster: env.cluster,
    state: oneLineState(active, latest),
    services,
    queues,
    activeRelease: releaseSummary(active),
    latestRelease: releaseSummary(latest),
  };
}

/** One environment's line in GET /environments: no ECS or SQS calls, only its releases. */
export async function environmentSummary(
  deps: EnvironmentStatusDeps,
  name: string,
  env: EnvironmentConfig,
): Promise<z.output<typeof environmentSummarySchema>> {
  const [active, latest] = await Promise.all([deps.activeRelease(name), deps.latestRelease(name)]);
  return { name, cluster: env.cluster, state: oneLineState(active, latest), activeRelease: releaseSummary(active) };
}
