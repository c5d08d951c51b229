import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ConductorConfig } from '../../config/schema.js';
import { endHoldViewSchema, scaleRequestSchema, scaleViewSchema } from '../../contract/api.js';
import type { EndedHold, HeldScale, HoldScaleRequest } from '../../use-cases/hold-service-scale.js';
import { notFound } from '../http/http-error.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import { requireProductionConfirmation } from './production-guard.js';
import type { ApiRouteSpec } from './route.js';
import { ownEntry, type NamedEnvironment } from '../../domain/environment.js';

export interface ScaleRouteDeps {
  config: ConductorConfig;
  /** The hold-service-scale use case. */
  holdServiceScale: (target: NamedEnvironment, request: HoldScaleRequest) => Promise<HeldScale>;
  /** The end-service-hold use case. */
  endServiceHold: (target: NamedEnvironment, service: string) => Promise<EndedHold>;
}

/** The environment and the service the path names: an unknown service is a 404 before the body is read. */
function serviceTarget(deps: ScaleRouteDeps, event: APIGatewayProxyEventV2, context: Context) {
  const target = environmentFor(deps.config, event.pathParameters?.env, 'scale', context);
  const service = event.pathParameters?.service ?? '';
  if (!ownEntry(target.env.services, service)) throw notFound(`service "${service}" in environment ${target.name}`);
  return { target, service };
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
      202: { description: 'The count was set, and is held unless holdMinutes was 0', schema: scaleViewSchema },
      409: { description: 'The scaling state kept changing; retry' },
    },
    handler: async (event, context) => {
      const { target, service } = serviceTarget(deps, event, context);
      const { confirm, ...body } = validRequest(scaleRequestSchema, parseJsonBody(event));
      requireProductionConfirmation(target, confirm, 'scale');
      const held = await refusingAsHttp(
        deps.holdServiceScale(target, { service, ...body, by: callerOf(context).principal }),
      );
      return jsonResponse(202, held, context.awsRequestId);
    },
  };
}

/** `DELETE /environments/{env}/services/{service}/hold`: end a manual hold now. */
export function endHoldRoute(deps: ScaleRouteDeps): ApiRouteSpec {
  return {
    method: 'DELETE',
    path: '/environments/{env}/services/{service}/hold',
    summary: "End a queue-driven service's manual hold: the autoscaler decides its count from its next pass",
    access: 'scale',
    responses: {
      200: { description: 'The hold ended (or there was none)', schema: endHoldViewSchema },
      409: { description: 'The scaling state kept changing; retry' },
    },
    handler: async (event, context) => {
      const { target, service } = serviceTarget(deps, event, context);
      const ended = await refusingAsHttp(deps.endServiceHold(target, service));
      return jsonResponse(200, ended, context.awsRequestId);
    },
  };
}
