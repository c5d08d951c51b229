import { apiRouteDeps, settings } from '../wiring.js';
import { adoptRoute } from './adopt.js';
import { approvalRoutes } from './approvals.js';
import { startBuildsRoute } from './builds.js';
import { deployPlanRoute } from './deploy-plan.js';
import { environmentStatusRoute, listEnvironmentsRoute } from './environments.js';
import { healthRoute } from './health.js';
import { openApiRoute } from './openapi.js';
import { getReleaseRoute, listReleasesRoute } from './releases.js';
import { abortRoute, deployRoute, redeployRoute, rollbackRoute } from './rollouts.js';
import type { ApiRouteSpec } from './route.js';
import { endHoldRoute, scaleRoute } from './scale.js';
import { scalingHistoryRoute } from './scaling-history.js';

const deps = apiRouteDeps();

/** Every route of the API, in one list: served by the `api` function and described by /openapi.json. */
export const apiRoutes: ApiRouteSpec[] = [
  healthRoute(settings.stage),
  listEnvironmentsRoute(deps.environments),
  environmentStatusRoute(deps.environments),
  startBuildsRoute(deps.builds),
  deployRoute(deps.rollouts),
  deployPlanRoute(deps.deployPlan),
  rollbackRoute(deps.rollouts),
  redeployRoute(deps.rollouts),
  abortRoute(deps.rollouts),
  ...approvalRoutes(deps.approvals),
  adoptRoute(deps.adopt),
  listReleasesRoute(deps.releases),
  getReleaseRoute(deps.releases),
  scaleRoute(deps.scale),
  scalingHistoryRoute(deps.scalingHistory),
  endHoldRoute(deps.scale),
  // Last, and given the list lazily: it describes every route above, and itself.
  openApiRoute(() => apiRoutes, {
    // The document is public: its examples name nothing of the configuration.
    pathParameterExamples: { env: 'my-environment', service: 'my-service' },
  }),
];
