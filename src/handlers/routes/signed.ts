import { apiRouteDeps } from '../wiring.js';
import { adoptRoute } from './adopt.js';
import { approvalRoutes } from './approvals.js';
import { startBuildsRoute } from './builds.js';
import { deployPlanRoute } from './deploy-plan.js';
import { environmentStatusRoute, listEnvironmentsRoute } from './environments.js';
import { getReleaseRoute, listReleasesRoute } from './releases.js';
import { abortRoute, deployRoute, redeployRoute, rollbackRoute } from './rollouts.js';
import type { ApiRouteSpec } from './route.js';
import { endHoldRoute, scaleRoute } from './scale.js';
import { scalingHistoryRoute } from './scaling-history.js';

const deps = apiRouteDeps();

/** The routes every caller must be authenticated for: served by the `api` function. */
export const signedRoutes: ApiRouteSpec[] = [
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
];
