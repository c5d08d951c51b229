import { mayPerform } from '../../domain/access.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { environmentFor } from './environment-access.js';
import {
  environmentListSchema,
  environmentStatus,
  environmentStatusSchema,
  environmentSummary,
  type EnvironmentStatusDeps,
} from './environment-status.js';
import type { ApiRouteSpec } from './route.js';

/**
 * `GET /environments`: any authenticated caller; lists only the environments the caller may read, so
 * a caller on no allow-list gets an empty list rather than a 403 (no single environment is named).
 */
export function listEnvironmentsRoute(deps: EnvironmentStatusDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/environments',
    summary: 'The environments the caller may read, each with a one-line state',
    access: 'authenticated',
    responses: { 200: { description: 'Readable environments', schema: environmentListSchema } },
    handler: async (_event, context) => {
      const { principal } = callerOf(context);
      const readable = Object.entries(deps.config.environments).filter(([, env]) => mayPerform(env, 'read', principal));
      const environments = await Promise.all(readable.map(([name, env]) => environmentSummary(deps, name, env)));
      return jsonResponse(200, { environments }, context.awsRequestId);
    },
  };
}

/** `GET /environments/{env}`: live status read from ECS, SQS and the state table. */
export function environmentStatusRoute(deps: EnvironmentStatusDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/environments/{env}',
    summary: "An environment's live status: services, queues, the active release and the autoscaler's last decisions",
    access: 'read',
    responses: { 200: { description: 'Live status', schema: environmentStatusSchema } },
    handler: async (event, context) => {
      const { name, env } = environmentFor(deps.config, event.pathParameters?.env, 'read', context);
      return jsonResponse(200, await environmentStatus(deps, name, env), context.awsRequestId);
    },
  };
}
