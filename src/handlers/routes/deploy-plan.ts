import type { ConductorConfig } from '../../config/schema.js';
import { deployPlanQuerySchema, deployPlanSchema } from '../../contract/api.js';
import type { NamedEnvironment } from '../../domain/environment.js';
import type { DeployPlan } from '../../use-cases/plan-deploy.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { asQueryError } from './refusals.js';
import type { ApiRouteSpec } from './route.js';

export interface DeployPlanRouteDeps {
  config: ConductorConfig;
  /** The plan-deploy query: what a deploy of the version would change, with nothing written. */
  planDeploy: (
    target: NamedEnvironment,
    request: { version: string; task?: string | undefined },
  ) => Promise<DeployPlan>;
}

/** `GET /environments/{env}/deployments/plan?version=…`: `diff` and `deploy --dry-run`; a read, so `read` access. */
export function deployPlanRoute(deps: DeployPlanRouteDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/environments/{env}/deployments/plan',
    summary: 'What deploying a version would change (images, container settings, steps, gates), without deploying',
    access: 'read',
    query: deployPlanQuerySchema,
    responses: {
      200: { description: 'The deploy as it would go', schema: deployPlanSchema },
      409: { description: 'The version is still building' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'read', context);
      const query = validRequest(deployPlanQuerySchema, event.queryStringParameters ?? {}, 'query');
      const plan = await deps.planDeploy(target, query).catch((error: unknown) => {
        throw asQueryError(error);
      });
      return jsonResponse(200, plan, context.awsRequestId);
    },
  };
}
