import { randomUUID } from 'node:crypto';
import { createChainHeartbeat } from '../aws/autoscale-chain-store.js';
import { createClaims } from '../aws/claims.js';
import { codebuild } from '../aws/codebuild.js';
import { ecr } from '../aws/ecr.js';
import { ecs } from '../aws/ecs.js';
import { createCurrentReleases, createEnvironmentLocks } from '../aws/environment-records.js';
import { createReleaseIndex } from '../aws/release-index.js';
import { createReleaseRepository } from '../aws/release-repository.js';
import { createScalingHistoryStore } from '../aws/scaling-history-store.js';
import { createScalingStore } from '../aws/scaling-store.js';
import { createReleaseNotifier, sns } from '../aws/sns.js';
import { sqs } from '../aws/sqs.js';
import { createStateTable } from '../aws/state-table.js';
import { createTickQueue } from '../aws/tick-queue.js';
import { conductorConfig } from '../config/cold-start.js';
import { loadRuntimeSettings } from '../config/runtime.js';
import type { AutoscaleChainPorts, AutoscalePorts, ReleasePorts } from '../use-cases/ports.js';
import type { BuildPorts } from '../use-cases/start-release-builds.js';
import { logger, rolloutMetrics } from './observability.js';

/**
 * The composition root: the config validated, and clients and adapters created once per container
 * (cold start), shared by every invocation the container serves. It decides nothing: the use cases
 * are given these adapters as their ports.
 */
export const config = conductorConfig;
export const settings = loadRuntimeSettings();
const table = createStateTable(settings.tableName);
const clock = { now: () => new Date() };

export const stateAdapters = {
  releases: createReleaseRepository(table),
  locks: createEnvironmentLocks(table),
  current: createCurrentReleases(table),
  index: createReleaseIndex(table),
  claims: createClaims(table),
  scaling: createScalingStore(table),
  history: createScalingHistoryStore(settings.tableName),
};

const notifier = () =>
  createReleaseNotifier(
    sns,
    (environment) => config.environments[environment]?.notificationTopic,
    (details) => {
      logger.warn('release notice not published', details);
    },
  );

// Port builders are functions so that a bundle keeps only the adapters its handler asks for.

/** Starting builds, in the name of `owner` (a push, or an invocation). */
export function buildPorts(owner: string): BuildPorts {
  const { releases, claims, index } = stateAdapters;
  return { releases, claims, index, builds: codebuild, ...clock, owner };
}

/** The release use cases' ports, acting in the name of `owner` (an invocation, or a push). */
export function releasePorts(owner: string): ReleasePorts {
  const { releases, locks, current, index, claims } = stateAdapters;
  const aws = { services: ecs, tasks: ecs, images: ecr, builds: codebuild };
  return {
    releases,
    locks,
    current,
    index,
    claims,
    ...aws,
    notifier: notifier(),
    metrics: rolloutMetrics,
    ...clock,
    owner,
  };
}

export function autoscalePorts(): AutoscalePorts {
  const { scaling, releases } = stateAdapters;
  return { scaling, releases, services: ecs, queues: sqs, ...clock };
}

/** The autoscaler's tick chain: its heartbeat in the state table, its ticks on `tickQueue`. */
export function autoscaleChainPorts(tickQueue: string): AutoscaleChainPorts {
  return {
    heartbeat: createChainHeartbeat(table),
    ticks: createTickQueue(sqs, tickQueue),
    newChainId: randomUUID,
    ...clock,
  };
}
