import { ecr } from '../../aws/ecr.js';
import { ecs } from '../../aws/ecs.js';
import { sqs } from '../../aws/sqs.js';
import { rollBackEnvironment, rollOut } from '../../use-cases/roll-out.js';
import { buildPorts, config, releasePorts, settings, stateAdapters } from '../wiring.js';
import type { EnvironmentStatusDeps } from './environment-status.js';
import { environmentStatusRoute, listEnvironmentsRoute } from './environments.js';
import { openApiRoute } from './openapi.js';
import { startBuildsRoute } from './builds.js';
import { healthRoute } from './health.js';
import { deployRoute, getReleaseRoute, listReleasesRoute, rollbackRoute, type ReleaseRouteDeps } from './releases.js';
import type { ApiRouteSpec } from './route.js';
import { scaleRoute } from './scale.js';

const { releases, locks, scaling } = stateAdapters;
const releaseDeps: ReleaseRouteDeps = {
  config,
  releases,
  deploy: (request) => rollOut(releasePorts(request.requestId), config, request),
  rollBack: (environment, triggeredBy, requestId) =>
    rollBackEnvironment(releasePorts(requestId), config, { environment, triggeredBy, requestId }),
};

/** What GET /environments and GET /environments/{env} read. */
const environmentStatusDeps: EnvironmentStatusDeps = {
  config,
  describeServices: (cluster, names) => ecs.describeServices(cluster, names),
  describeTaskDefinition: (arn) => ecs.describeTaskDefinition(arn),
  queueBacklog: (queue) => sqs.queueBacklog(queue),
  activeRelease: async (environment) => {
    // The rollout lock names the release rolling out; otherwise the newest release while it builds.
    const lock = await locks.holder(environment);
    const locked = lock ? (await releases.get(lock.releaseId))?.release : undefined;
    if (locked?.state === 'DEPLOYING') return locked;
    const [latest] = (await releases.listForEnvironment(environment, { limit: 1 })).releases;
    return latest?.state === 'BUILDING' || latest?.state === 'DEPLOYING' ? latest : undefined;
  },
  latestRelease: async (environment) => (await releases.listForEnvironment(environment, { limit: 1 })).releases[0],
  scalingStatus: async (environment, queue) => (await scaling.get(environment, queue))?.record,
};

/** Every route of the API, in one list: served by the `api` function and described by /openapi.json. */
export const apiRoutes: ApiRouteSpec[] = [
  healthRoute(config, settings.stage),
  listEnvironmentsRoute(environmentStatusDeps),
  environmentStatusRoute(environmentStatusDeps),
  startBuildsRoute({
    config,
    ports: buildPorts,
    imageDigest: (repository, tag) => ecr.imageDigest(repository, tag),
  }),
  deployRoute(releaseDeps),
  rollbackRoute(releaseDeps),
  listReleasesRoute(releaseDeps),
  getReleaseRoute(releaseDeps),
  scaleRoute({
    config,
    scaling,
    setDesiredCount: (cluster, service, count) => ecs.setDesiredCount(cluster, service, count),
    now: () => new Date(),
  }),
  // Last, and given the list lazily: it describes every route above, and itself.
  openApiRoute(() => apiRoutes, {
    pathParameterExamples: { env: Object.keys(config.environments)[0] ?? 'env', service: 'ingester' },
  }),
];
