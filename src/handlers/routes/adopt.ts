import type { ConductorConfig } from '../../config/schema.js';
import { adoptionViewSchema, adoptRequestSchema } from '../../contract/api.js';
import type { Adoption } from '../../use-cases/adopt-environment.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validEmptyBody } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import type { ApiRouteSpec } from './route.js';
import type { NamedEnvironment } from '../../domain/environment.js';

export interface AdoptRouteDeps {
  config: ConductorConfig;
  /** The adopt use case: what runs now recorded as the baseline release. */
  adopt: (target: NamedEnvironment, request: { triggeredBy: string; requestId: string }) => Promise<Adoption>;
}

/** `POST /environments/{env}/adopt`: records what ECS runs as the current release, changing nothing in ECS. */
export function adoptRoute(deps: AdoptRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/adopt',
    summary:
      "Record what the environment runs now (each service's and the routine task's image) as its baseline release",
    access: 'deploy',
    body: adoptRequestSchema,
    responses: {
      200: { description: 'The baseline release, now the current one', schema: adoptionViewSchema },
      409: { description: 'A rollout holds the environment' },
      422: { description: 'What runs cannot be recorded: a missing service, an image ECR does not have' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'deploy', context);
      validEmptyBody(adoptRequestSchema, event);
      const request = { triggeredBy: callerOf(context).principal, requestId: context.awsRequestId };
      return jsonResponse(200, await refusingAsHttp(deps.adopt(target, request)), context.awsRequestId);
    },
  };
}
