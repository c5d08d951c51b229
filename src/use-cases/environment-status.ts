import type { NamedEnvironment } from '../config/lookup.js';
import {
  activeReleaseOf,
  oneLineState,
  queueStatus,
  releaseSummary,
  routineRedeployStatus,
  servicesStatus,
  type EnvironmentStatus,
  type EnvironmentSummary,
  type QueueStatus,
  type ServiceStatus,
} from '../domain/environment-status.js';
import type { Release } from '../domain/release.js';
import type {
  CurrentReleases,
  EnvironmentLocks,
  QueueMetrics,
  ReleaseRepository,
  ScalingRecords,
  ServiceControl,
  TaskControl,
} from './ports.js';

/** What the environment-status queries read: ECS, SQS and the state table, nothing written. */
export interface EnvironmentStatusPorts {
  services: Pick<ServiceControl, 'describeServices'>;
  tasks: Pick<TaskControl, 'describeTaskDefinition'>;
  queues: QueueMetrics;
  releases: Pick<ReleaseRepository, 'get' | 'listForEnvironment'>;
  locks: Pick<EnvironmentLocks, 'holder'>;
  current: Pick<CurrentReleases, 'current'>;
  scaling: Pick<ScalingRecords, 'get'>;
}

/** The release the environment is busy with, if any, and its newest one. */
async function releasesOf(
  ports: EnvironmentStatusPorts,
  environment: string,
): Promise<{ active: Release | undefined; latest: Release | undefined }> {
  const [lock, page] = await Promise.all([
    ports.locks.holder(environment),
    ports.releases.listForEnvironment(environment, { limit: 1 }),
  ]);
  // The rollout lock names the release rolling out, which need not be the newest one.
  const locked = lock ? (await ports.releases.get(lock.releaseId))?.release : undefined;
  const latest = page.releases[0];
  return { active: activeReleaseOf(locked, latest), latest };
}

async function servicesOf(ports: EnvironmentStatusPorts, { env }: NamedEnvironment): Promise<ServiceStatus[]> {
  const configured = Object.values(env.services).map((service) => service.service);
  if (configured.length === 0) return [];
  // One DescribeServices for the whole environment (the adapter splits it into calls of 10).
  const described = await ports.services.describeServices(env.cluster, configured);
  const arns = [...new Set(described.services.map((state) => state.taskDefinitionArn).filter((arn) => arn !== ''))];
  const definitions = new Map(
    await Promise.all(arns.map(async (arn) => [arn, await ports.tasks.describeTaskDefinition(arn)] as const)),
  );
  return servicesStatus(env, described, definitions);
}

function queuesOf(ports: EnvironmentStatusPorts, { name, env }: NamedEnvironment): Promise<QueueStatus[]> {
  return Promise.all(
    Object.entries(env.queues).map(async ([key, queue]) => {
      const [backlog, scaling] = await Promise.all([
        ports.queues.queueBacklog(queue.queue),
        ports.scaling.get(name, key),
      ]);
      return queueStatus(key, queue, backlog, scaling?.record);
    }),
  );
}

/** The live status of one environment, read from ECS, SQS and the state table in parallel. */
export async function environmentStatus(
  ports: EnvironmentStatusPorts,
  target: NamedEnvironment,
): Promise<EnvironmentStatus> {
  const [services, queues, { active, latest }, current] = await Promise.all([
    servicesOf(ports, target),
    queuesOf(ports, target),
    releasesOf(ports, target.name),
    ports.current.current(target.name),
  ]);
  const running = current && (await ports.releases.get(current.releaseId))?.release;
  return {
    name: target.name,
    cluster: target.env.cluster,
    state: oneLineState(active, latest),
    currentRelease: releaseSummary(running),
    routineRedeploy: routineRedeployStatus(target.env, current),
    services,
    queues,
    activeRelease: releaseSummary(active),
    latestRelease: releaseSummary(latest),
  };
}

/** One environment's line in GET /environments: no ECS or SQS calls, only its releases. */
export async function environmentSummary(
  ports: EnvironmentStatusPorts,
  { name, env }: NamedEnvironment,
): Promise<EnvironmentSummary> {
  const { active, latest } = await releasesOf(ports, name);
  return { name, cluster: env.cluster, state: oneLineState(active, latest), activeRelease: releaseSummary(active) };
}
