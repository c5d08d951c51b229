import {
  activeReleaseOf,
  oneLineState,
  queueStatus,
  releaseSummary,
  routineRedeployStatus,
  runningRelease,
  type EnvironmentStatus,
  type EnvironmentSummary,
  type QueueStatus,
} from '../domain/environment-status.js';
import { deploymentGate } from '../domain/deployment-gate.js';
import type { Release } from '../domain/release.js';
import { releaseThatRanBefore } from '../domain/rollback-target.js';
import { nextStep } from '../domain/what-runs.js';
import { readWhatRuns, type WhatRunsPorts } from './what-runs.js';
import { serviceBacklog } from './autoscale-service.js';
import type { CurrentRelease, QueueMetrics, ScalingRecords } from './ports.js';
import type { NamedEnvironment } from '../domain/environment.js';

/** What the environment-status queries read: ECS, SQS and the state table, nothing written. */
export interface EnvironmentStatusPorts extends WhatRunsPorts {
  queues: QueueMetrics;
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

function queuesOf(ports: EnvironmentStatusPorts, { name, env }: NamedEnvironment): Promise<QueueStatus[]> {
  return Promise.all(
    Object.entries(env.queues).map(async ([key, queue]) => {
      const [backlog, scaling] = await Promise.all([serviceBacklog(ports, queue), ports.scaling.get(name, key)]);
      return queueStatus(key, queue, backlog, scaling?.record, ports.now?.() ?? new Date());
    }),
  );
}

/** The live status of one environment, from the truth of what runs (ECS), SQS and the state table. */
export async function environmentStatus(
  ports: EnvironmentStatusPorts,
  target: NamedEnvironment,
): Promise<EnvironmentStatus> {
  const [live, queues] = await Promise.all([readWhatRuns(ports, target), queuesOf(ports, target)]);
  const { runs, services, releases, locked, current, running } = live;
  const latest = releases[0];
  const active = activeReleaseOf(locked, latest);
  const rollbackTo = running && releaseThatRanBefore(running, releases);
  return {
    name: target.name,
    cluster: target.env.cluster,
    state: oneLineState(active, latest, running),
    production: target.env.production === true,
    health: runs.health,
    healthReason: runs.reason,
    nextStep: nextStep(target.name, runs, rollbackTo),
    rollbackTo: rollbackTo ? { version: rollbackTo.version, releaseId: rollbackTo.id } : null,
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
