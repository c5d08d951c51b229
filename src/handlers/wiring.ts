import { randomUUID } from 'node:crypto';
import { createChainHeartbeat } from '../aws/autoscale-chain-store.js';
import { createClaims } from '../aws/claims.js';
import { cloudwatch } from '../aws/cloudwatch.js';
import { codebuild } from '../aws/codebuild.js';
import { ecr } from '../aws/ecr.js';
import { ecs } from '../aws/ecs.js';
import { httpProbe } from '../aws/http-probe.js';
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
import { loadAutoscaleSettings, loadRuntimeSettings } from '../config/runtime.js';
import { adoptEnvironment } from '../use-cases/adopt-environment.js';
import { approveRelease, rejectRelease } from '../use-cases/approve-release.js';
import { abortRelease } from '../use-cases/abort-release.js';
import { buildVersion } from '../use-cases/build-version.js';
import { deployVersion } from '../use-cases/deploy-version.js';
import { planDeploy } from '../use-cases/plan-deploy.js';
import { environmentStatus, environmentSummary } from '../use-cases/environment-status.js';
import { endServiceHold, holdServiceScale } from '../use-cases/hold-service-scale.js';
import type { AutoscaleChainPorts, AutoscalePorts, ReleasePorts } from '../use-cases/ports.js';
import { createScalingHistoryRecorder } from '../use-cases/record-scaling-history.js';
import { redeployEnvironment } from '../use-cases/redeploy-environment.js';
import { rollBackEnvironment, type RolloutPorts } from '../use-cases/roll-out.js';
import type { BuildPorts } from '../use-cases/start-release-builds.js';
import { logger, rolloutMetrics } from './observability.js';
import type { AdoptRouteDeps } from './routes/adopt.js';
import type { ApprovalRouteDeps } from './routes/approvals.js';
import type { BuildRouteDeps } from './routes/builds.js';
import type { EnvironmentRouteDeps } from './routes/environments.js';
import type { ReleaseRouteDeps } from './routes/releases.js';
import type { DeployPlanRouteDeps } from './routes/deploy-plan.js';
import type { RolloutRouteDeps } from './routes/rollouts.js';
import type { ScaleRouteDeps } from './routes/scale.js';
import type { ScalingHistoryRouteDeps } from './routes/scaling-history.js';

/**
 * The Lambdas' composition root, the only place that builds adapters and hands them to use cases:
 * the config validated, clients and adapters created once per container (cold start) and shared by
 * every invocation it serves. It decides nothing. A request's walk goes handler → use case (which
 * calls other use cases itself) → domain, and out through the ports bound here.
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

/** A rollout's ports, acting in the name of `owner` (an invocation, or a push): no CodeBuild client. */
export function rolloutPorts(owner: string): RolloutPorts {
  const { releases, locks, current, index, claims } = stateAdapters;
  const state = { releases, locks, current, index, claims };
  const aws = { services: ecs, tasks: ecs, images: ecr, alarms: cloudwatch };
  return { ...state, ...aws, notifier: notifier(), metrics: rolloutMetrics, ...clock, owner };
}

/** Every release use case's ports (builds too), acting in the name of `owner`. */
export function releasePorts(owner: string): ReleasePorts {
  return { ...rolloutPorts(owner), builds: codebuild };
}

/** The deployment hook's ports: the releases and locks it records to, and the smoke check's HTTP GET. */
export const hookPorts = () => ({ ...stateAdapters, probe: httpProbe, ...clock });

export function autoscalePorts(): AutoscalePorts {
  const { scaling, releases } = stateAdapters;
  return { scaling, releases, services: ecs, queues: sqs, ...clock };
}

/** The autoscaler's settings, ports, tick chain (heartbeat in the state table, ticks on its queue) and history. */
export function autoscaleWiring() {
  const autoscale = loadAutoscaleSettings();
  const chain: AutoscaleChainPorts = {
    heartbeat: createChainHeartbeat(table),
    ticks: createTickQueue(sqs, autoscale.tickQueue),
    newChainId: randomUUID,
    ...clock,
  };
  // One recorder per container: it keeps a sample a minute by remembering the minutes it sampled.
  const history = createScalingHistoryRecorder(stateAdapters.history, (error, { environment, queue }) => {
    logger.warn('scaling history not recorded', { environment, queue, error });
  });
  return { settings: autoscale, ports: autoscalePorts(), chain, history };
}

/** What every API route calls: one use case or query each, bound here to the adapters. */
export function apiRouteDeps() {
  const { releases, locks, current, scaling, history } = stateAdapters;
  const reads = { releases, locks, current, scaling, services: ecs, tasks: ecs, queues: sqs };
  const environments: EnvironmentRouteDeps = {
    config,
    environmentStatus: (target) => environmentStatus(reads, target),
    environmentSummary: (target) => environmentSummary(reads, target),
  };
  const builds: BuildRouteDeps = {
    config,
    buildVersion: (target, request, owner) => buildVersion({ ...buildPorts(owner), images: ecr }, target, request),
  };
  const rollouts: RolloutRouteDeps = {
    config,
    deployVersion: (target, request) => deployVersion(rolloutPorts(request.requestId), target, request),
    rollBack: (target, triggeredBy, requestId) =>
      rollBackEnvironment(rolloutPorts(requestId), target, { triggeredBy, requestId }),
    redeploy: (target, triggeredBy, requestId) =>
      redeployEnvironment(rolloutPorts(requestId), target, { triggeredBy, requestId }),
    abort: (target, ask, requestId) => abortRelease(rolloutPorts(requestId), target, ask),
  };
  const deployPlan: DeployPlanRouteDeps = {
    config,
    planDeploy: (target, request) => planDeploy({ releases, services: ecs, tasks: ecs, images: ecr }, target, request),
  };
  const approvals: ApprovalRouteDeps = {
    config,
    approve: (target, answer) => approveRelease(rolloutPorts(answer.requestId), target, answer),
    reject: (target, answer) => rejectRelease(rolloutPorts(answer.requestId), target, answer),
  };
  const adopt: AdoptRouteDeps = {
    config,
    adopt: (target, request) => adoptEnvironment(releasePorts(request.requestId), target, request),
  };
  const releaseReads: ReleaseRouteDeps = {
    config,
    listReleases: (environment, page) => releases.listForEnvironment(environment, page),
    getRelease: async (id) => (await releases.get(id))?.release,
  };
  const scaleWrites = { scaling, services: ecs, clock };
  const scale: ScaleRouteDeps = {
    config,
    holdServiceScale: (target, request) => holdServiceScale(scaleWrites, target, request),
    endServiceHold: (target, service) => endServiceHold(scaleWrites, target, service),
  };
  const scalingHistory: ScalingHistoryRouteDeps = { config, history, ...clock };
  return {
    environments,
    builds,
    rollouts,
    deployPlan,
    approvals,
    adopt,
    releases: releaseReads,
    scale,
    scalingHistory,
  };
}
