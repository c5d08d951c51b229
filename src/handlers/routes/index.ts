import { ecr } from '../../aws/ecr.js';
import { ecs } from '../../aws/ecs.js';
import {
  buildPorts,
  config,
  deploy,
  environmentStatusDeps,
  releases,
  rollBackEnvironment,
  scaling,
  settings,
} from '../wiring.js';
import { environmentStatusRoute, listEnvironmentsRoute } from './environments.js';
import { openApiRoute } from './openapi.js';
import { startBuildsRoute } from './builds.js';
import { healthRoute } from './health.js';
import { deployRoute, getReleaseRoute, listReleasesRoute, rollbackRoute, type ReleaseRouteDeps } from './releases.js';
import type { ApiRouteSpec } from './route.js';
import { scaleRoute } from './scale.js';

const releaseDeps: ReleaseRouteDeps = { config, releases, deploy, rollBack: rollBackEnvironment };

/** Every route of the API, in one list: served by the `api` function and described by /openapi.json. */
export const apiRoutes: ApiRouteSpec[] = [
  healthRoute(config, settings.stage),
  listEnvironmentsRoute(environmentStatusDeps),
  environmentStatusRoute(environmentStatusDeps),
  startBuildsRoute({
    config,
    ports: buildPorts,
    imageDigest: async (repository, tag) => (await ecr.describeImage(repository, tag))?.digest,
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
