import { ownEntry, type NamedEnvironment } from '../../config/lookup.js';
import type { ConductorConfig } from '../../config/schema.js';
import { scaleRequestSchema, scaleViewSchema } from '../../contract/api.js';
import type { HeldScale, HoldScaleRequest } from '../../use-cases/hold-service-scale.js';
import { notFound } from '../http/http-error.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import type { ApiRouteSpec } from './route.js';

export interface ScaleRouteDeps {
  config: ConductorConfig;
  /** The hold-service-scale use case. */
  holdServiceScale: (target: NamedEnvironment, request: HoldScaleRequest) => Promise<HeldScale>;
}

/** `POST /environments/{env}/services/{service}/scale`: set a queue-driven service's count and hold it. */
export function scaleRoute(deps: ScaleRouteDeps): ApiRouteSpec {
  return {
    method: 'POST',
    path: '/environments/{env}/services/{service}/scale',
    summary: "Set a queue-driven service's desired count and pause its autoscaler for a while",
    access: 'scale',
    body: scaleRequestSchema,
    responses: {
      202: { description: 'The count was set and is held', schema: scaleViewSchema },
      409: { description: 'The scaling state kept changing; retry' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'scale', context);
      const service = event.pathParameters?.service ?? '';
      // The path names a resource: an unknown service is a 404 before the body is looked at.
      if (!ownEntry(target.env.services, service)) throw notFound(`service "${service}" in environment ${target.name}`);
      const body = validRequest(scaleRequestSchema, parseJsonBody(event));
      const held = await refusingAsHttp(
        deps.holdServiceScale(target, { service, ...body, by: callerOf(context).principal }),
      );
      return jsonResponse(202, held, context.awsRequestId);
    },
  };
}
