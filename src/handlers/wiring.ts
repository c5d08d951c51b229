import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { codebuild } from '../aws/codebuild.js';
import { ecr } from '../aws/ecr.js';
import { ecs } from '../aws/ecs.js';
import { createScalingStore } from '../aws/scaling-store.js';
import { sns } from '../aws/sns.js';
import { sqs } from '../aws/sqs.js';
import { createReleaseStore, type EnvironmentLock } from '../aws/release-store.js';
import { createStateTable } from '../aws/state-table.js';
import { conductorConfig } from '../config/cold-start.js';
import { loadRuntimeSettings } from '../config/runtime.js';
import type { EnvironmentConfig } from '../config/schema.js';
import { buildVariables } from '../domain/build-variables.js';
import { STUCK_RELEASE_METRIC } from '../packaging/alarms.js';
import type { Release } from '../domain/release.js';
import { endRollout, type EndRolloutPorts, type ReleaseNotice } from '../use-cases/end-rollout.js';
import type { AutoscalePorts } from '../use-cases/autoscale-service.js';
import { progressRelease, type RolloutPorts } from '../use-cases/progress-release.js';
import { rollBack, type RollBackPorts } from '../use-cases/roll-back.js';
import { startRollout, type RolloutRequest } from '../use-cases/start-rollout.js';
import { logger } from './observability.js';
import { recordBuildResult, type BuildResultPorts } from '../use-cases/record-build-result.js';
import type { ReconcilePorts } from '../use-cases/reconcile-environment.js';
import { startReleaseBuilds, type BuildPorts } from '../use-cases/start-release-builds.js';

/**
 * The composition root: config validated and clients created once per container (cold start),
 * shared by every invocation the container serves.
 */
export const config = conductorConfig;
export const settings = loadRuntimeSettings();
const table = createStateTable(settings.tableName);
export const releases = createReleaseStore(table);

/** Ports for starting an environment's release builds on behalf of one invocation. */
export function buildPorts(env: EnvironmentConfig, owner: string): BuildPorts {
  return {
    releases,
    startBuild: (request) => codebuild.startBuild(request),
    buildVariables: (entrypointName, release) => {
      const entrypoint = env.entrypoints.find((candidate) => candidate.name === entrypointName);
      if (!entrypoint) throw new Error(`environment ${release.environment} has no entrypoint ${entrypointName}`);
      return buildVariables({
        environment: env,
        entrypoint,
        version: release.version,
        aliasPrefix: env.imageAliasPrefix,
      });
    },
    now: () => new Date(),
    owner,
  };
}

/** Ports for recording build outcomes. */
export const buildResultPorts: BuildResultPorts = {
  releases,
  buildDetails: async (buildId) => {
    const [build] = await codebuild.batchGetBuilds([buildId]);
    const failed = build?.phases.find((phase) => phase.status !== undefined && phase.status !== 'SUCCEEDED');
    return { failedPhase: failed?.type, logsDeepLink: build?.logsDeepLink };
  },
  imageDigest: async (repository, tag) => (await ecr.describeImage(repository, tag))?.digest,
  now: () => new Date(),
};

const repositoryUris = new Map<string, string>();

/** The environment repository's URI, looked up once per container. */
async function repositoryUri(env: EnvironmentConfig): Promise<string> {
  const cached = repositoryUris.get(env.repository);
  if (cached) return cached;
  const repository = await ecr.describeRepository(env.repository);
  if (!repository) throw new Error(`ECR repository ${env.repository} does not exist`);
  repositoryUris.set(env.repository, repository.uri);
  return repository.uri;
}

/** Publishes a release notice to the environment's topic, if it has one; a lost notice never fails a rollout. */
async function notify(release: Release, event: ReleaseNotice): Promise<void> {
  const topic = config.environments[release.environment]?.notificationTopic;
  if (!topic) return;
  try {
    await sns.publish(topic, `${release.environment}: release ${release.version} ${event}`, {
      event,
      releaseId: release.id,
      environment: release.environment,
      version: release.version,
      state: release.state,
      ...(release.failure ? { failure: release.failure } : {}),
    });
  } catch (error) {
    logger.warn('release notice not published', { releaseId: release.id, event, error });
  }
}

const metrics = new Metrics({ namespace: STUCK_RELEASE_METRIC.namespace, serviceName: 'ecs-conductor' });

/** A step ran past its timeout: counted for the StuckReleaseAlarm, logged with its release. */
function countStuckRelease(release: Release): void {
  logger.error('release step timed out', {
    releaseId: release.id,
    environment: release.environment,
    failure: release.failure,
  });
  metrics.singleMetric().addMetric(STUCK_RELEASE_METRIC.name, MetricUnit.Count, 1);
}

const startPorts: RollBackPorts = { releases, notify, now: () => new Date() };

/** Ports for moving rollouts forward on behalf of one invocation. */
export function rolloutPorts(owner: string): RolloutPorts {
  return {
    releases,
    ecs,
    repositoryUri,
    onRolloutEnded: async (release) => {
      if (release.state === 'FAILED' && release.failure?.reason.includes('did not finish within'))
        countStuckRelease(release);
      await endRollout(endPorts(owner), config, release);
    },
    now: () => new Date(),
    owner,
  };
}

function endPorts(owner: string): EndRolloutPorts {
  return {
    releases,
    notify,
    rollBack: async (environment, fromReleaseId, triggeredBy) => {
      const release = await rollBack(startPorts, config, {
        environment,
        fromReleaseId,
        triggeredBy,
        requestId: `${owner}-rollback`,
      });
      return progressRelease(rolloutPorts(owner), config, release.id);
    },
    now: () => new Date(),
  };
}

/** Starts a rollout and takes it as far as ECS allows right now. */
export async function deploy(request: RolloutRequest): Promise<Release> {
  const started = await startRollout(startPorts, config, request);
  return (await progressRelease(rolloutPorts(request.requestId), config, started.id)) ?? started;
}

/** Rolls an environment back to its previous completed release, and takes it as far as it goes. */
export async function rollBackEnvironment(
  environment: string,
  triggeredBy: string,
  requestId: string,
): Promise<Release> {
  const started = await rollBack(startPorts, config, { environment, triggeredBy, requestId });
  return (await progressRelease(rolloutPorts(requestId), config, started.id)) ?? started;
}

/** Ports for one reconcile pass on behalf of one invocation. */
export function reconcilePorts(owner: string): ReconcilePorts {
  return {
    releases,
    progress: (releaseId) => progressRelease(rolloutPorts(owner), config, releaseId),
    buildStatuses: async (buildIds) =>
      (await codebuild.batchGetBuilds(buildIds)).map((build) => ({ id: build.id, status: build.status })),
    recordBuild: (buildId, status) => recordBuildResult(buildResultPorts, config, { buildId, status }),
    resumeBuilds: async (release) => {
      const env = config.environments[release.environment];
      if (!env) return [];
      const request = { ...release, entrypoints: Object.keys(release.builds) };
      return (await startReleaseBuilds(buildPorts(env, owner), env, request)).started;
    },
    deploy,
    now: () => new Date(),
  };
}

export const scaling = createScalingStore(table);

/** Services the rollout holding the lock is changing: the autoscaler keeps its hands off them. */
async function servicesInRollout(lock: EnvironmentLock | undefined): Promise<Set<string>> {
  const holder = lock && (await releases.get(lock.releaseId))?.release;
  const rollout = holder?.state === 'DEPLOYING' ? holder.rollout : undefined;
  const step = rollout?.steps[rollout.stepIndex];
  return new Set(step?.kind === 'services' ? step.services : []);
}

export const autoscalePorts: AutoscalePorts = {
  scaling,
  // One Query for the records and the lock; the lock's release is read only while a rollout holds it.
  readState: async (environment) => {
    const { records, lock } = await scaling.readEnvironment(environment);
    return { records, inRollout: await servicesInRollout(lock) };
  },
  queueBacklog: (queue) => sqs.queueBacklog(queue),
  describeServices: (cluster, names) => ecs.describeServices(cluster, names),
  setDesiredCount: (cluster, service, count) => ecs.setDesiredCount(cluster, service, count),
  now: () => new Date(),
};
