import { ecr } from '../../aws/ecr.js';
import { ecs } from '../../aws/ecs.js';
import { sqs } from '../../aws/sqs.js';
import { adoptEnvironment } from '../../use-cases/adopt-environment.js';
import { rollBackEnvironment, rollOut } from '../../use-cases/roll-out.js';
import { startRelease } from '../../use-cases/record-image-release.js';
import { buildPorts, config, releasePorts, settings, stateAdapters } from '../wiring.js';
import { adoptRoute } from './adopt.js';
import { startBuildsRoute } from './builds.js';
import { environmentStatusRoute, listEnvironmentsRoute } from './environments.js';
import { healthRoute } from './health.js';
import { openApiRoute } from './openapi.js';
import { getReleaseRoute, listReleasesRoute } from './releases.js';
import { deployRoute, redeployRoute, rollbackRoute } from './rollouts.js';
import { apiRouteDeps } from './route-deps.js';
import type { ApiRouteSpec } from './route.js';
import { endHoldRoute, scaleRoute } from './scale.js';
import { scalingHistoryRoute } from './scaling-history.js';

const { releases, locks, current, scaling } = stateAdapters;
const adapters = { releases, locks, current, scaling, services: ecs, tasks: ecs, queues: sqs, registry: ecr };
const deps = apiRouteDeps(
  config,
  { ...adapters, clock: { now: () => new Date() } },
  {
    rollOut: (target, request) => rollOut(releasePorts(request.requestId), target, request),
    rollBack: (target, triggeredBy, requestId) =>
      rollBackEnvironment(releasePorts(requestId), target, { triggeredBy, requestId }),
    adopt: (target, request) => adoptEnvironment(releasePorts(request.requestId), target, request),
    startBuilds: (env, request, owner) => startRelease(buildPorts(owner), env, request),
  },
);

/** Every route of the API, in one list: served by the `api` function and described by /openapi.json. */
export const apiRoutes: ApiRouteSpec[] = [
  healthRoute(config, settings.stage),
  listEnvironmentsRoute(deps.environments),
  environmentStatusRoute(deps.environments),
  startBuildsRoute(deps.builds),
  deployRoute(deps.rollouts),
  rollbackRoute(deps.rollouts),
  redeployRoute(deps.rollouts),
  adoptRoute(deps.adopt),
  listReleasesRoute(deps.releases),
  getReleaseRoute(deps.releases),
  scaleRoute(deps.scale),
  scalingHistoryRoute({ config, history: stateAdapters.history, now: () => new Date() }),
  endHoldRoute(deps.scale),
  // Last, and given the list lazily: it describes every route above, and itself.
  openApiRoute(() => apiRoutes, {
    pathParameterExamples: { env: Object.keys(config.environments)[0] ?? 'env', service: 'ingester' },
  }),
];
