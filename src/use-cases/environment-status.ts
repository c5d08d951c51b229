import {
  activeReleaseOf,
  oneLineState,
  queueStatus,
  releaseSummary,
  routineRedeployStatus,
  runningRelease,
  servicesStatus,
  type EnvironmentStatus,
  type EnvironmentSummary,
  type QueueStatus,
  type ServiceStatus,
} from '../domain/environment-status.js';
import { deploymentGate } from '../domain/deployment-gate.js';
import type { Release } from '../domain/release.js';
import { serviceBacklog } from './autoscale-service.js';
import type {
  CurrentRelease,
  CurrentReleases,
  EnvironmentLocks,
  QueueMetrics,
  ReleaseRepository,
  ScalingRecords,
  ServiceControl,
  TaskControl,
} from './ports.js';
import type { NamedEnvironment } from '../domain/environment.js';

/** What the environment-status queries read: ECS, SQS and the state table, nothing written. */
export interface EnvironmentStatusPorts {
  services: Pick<ServiceControl, 'describeServices'>;
  tasks: Pick<TaskControl, 'describeTaskDefinition'>;
  queues: QueueMetrics;
  releases: Pick<ReleaseRepository, 'get' | 'listForEnvironment'>;
  locks: Pick<EnvironmentLocks, 'holder'>;
  current: Pick<CurrentReleases, 'current'>;
  scaling: Pick<ScalingRecords, 'get'>;
  /** The clock the learned wake-ups are judged by (a week's memory); the system clock when absent. */
  now?: () => Date;
}

interface EnvironmentReleases {
  active: Release | undefined;
  latest: Release | undefined;
  running: Release | undefined;
  /** The current-release record: what runs, and the routine re-run's schedule. */
  current: CurrentRelease | undefined;
}

/** The release the environment is busy with, if any, its newest one, and the one its services run. */
async function releasesOf(ports: EnvironmentStatusPorts, environment: string): Promise<EnvironmentReleases> {
  const [lock, page, current] = await Promise.all([
    ports.locks.holder(environment),
    ports.releases.listForEnvironment(environment, { limit: 1 }),
    ports.current.current(environment),
  ]);
  const read = async (id: string | undefined) => (id ? (await ports.releases.get(id))?.release : undefined);
  // The rollout lock names the release rolling out, which need not be the newest one.
  const [locked, running] = await Promise.all([read(lock?.releaseId), read(current?.releaseId)]);
  const latest = page.releases[0];
  return { active: activeReleaseOf(locked, latest), latest, running, current };
}

async function servicesOf(
  ports: EnvironmentStatusPorts,
  { env }: NamedEnvironment,
  running: Promise<Release | undefined>,
): Promise<ServiceStatus[]> {
  const configured = Object.values(env.services).map((service) => service.service);
  if (configured.length === 0) return [];
  // One DescribeServices for the whole environment (the adapter splits it into calls of 10).
  const described = await ports.services.describeServices(env.cluster, configured);
  const arns = [...new Set(described.services.map((state) => state.taskDefinitionArn).filter((arn) => arn !== ''))];
  const definitions = new Map(
    await Promise.all(arns.map(async (arn) => [arn, await ports.tasks.describeTaskDefinition(arn)] as const)),
  );
  return servicesStatus(env, described, definitions, await running);
}

function queuesOf(ports: EnvironmentStatusPorts, { name, env }: NamedEnvironment): Promise<QueueStatus[]> {
  return Promise.all(
    Object.entries(env.queues).map(async ([key, queue]) => {
      const [backlog, scaling] = await Promise.all([serviceBacklog(ports, queue), ports.scaling.get(name, key)]);
      return queueStatus(key, queue, backlog, scaling?.record, ports.now?.() ?? new Date());
    }),
  );
}

/** The live status of one environment, read from ECS, SQS and the state table in parallel. */
export async function environmentStatus(
  ports: EnvironmentStatusPorts,
  target: NamedEnvironment,
): Promise<EnvironmentStatus> {
  const releases = releasesOf(ports, target.name);
  const [services, queues, { active, latest, running, current }] = await Promise.all([
    servicesOf(
      ports,
      target,
      releases.then((read) => read.running),
    ),
    queuesOf(ports, target),
    releases,
  ]);
  return {
    name: target.name,
    cluster: target.env.cluster,
    state: oneLineState(active, latest, running),
    services,
    queues,
    activeRelease: releaseSummary(active),
    running: runningRelease(running),
    currentRelease: releaseSummary(running),
    routineRedeploy: routineRedeployStatus(target.env, current),
    deploymentGate: deploymentGate(target.env),
    latestRelease: releaseSummary(latest),
  };
}

/** One environment's line in GET /environments: no ECS or SQS calls, only its releases. */
export async function environmentSummary(
  ports: EnvironmentStatusPorts,
  { name, env }: NamedEnvironment,
): Promise<EnvironmentSummary> {
  const { active, latest, running } = await releasesOf(ports, name);
  return {
    name,
    cluster: env.cluster,
    state: oneLineState(active, latest, running),
    activeRelease: releaseSummary(active),
  };
}
