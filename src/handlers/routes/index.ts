import { ecr } from '../../aws/ecr.js';
import { buildPorts, config, settings } from '../wiring.js';
import { startBuildsRoute } from './builds.js';
import { healthRoute } from './health.js';
import type { ApiRouteSpec } from './route.js';

/** Every route of the API, in one list: served by the `api` function and described by /openapi.json. */
export const apiRoutes: ApiRouteSpec[] = [
  healthRoute(config, settings.stage),
  startBuildsRoute({
    config,
    ports: buildPorts,
    imageDigest: async (repository, tag) => (await ecr.describeImage(repository, tag))?.digest,
  }),
];
