import type * as z from 'zod';
import type { ConductorConfig } from '../../config/schema.js';
import { environmentListSchema, environmentStatusSchema } from '../../contract/api.js';
import { actorMay } from '../../domain/access.js';
import type { EnvironmentStatus, EnvironmentSummary } from '../../domain/environment-status.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { environmentFor } from './environment-access.js';
import type { ApiRouteSpec } from './route.js';
import type { NamedEnvironment } from '../../domain/environment.js';

export interface EnvironmentRouteDeps {
  config: ConductorConfig;
  /** The environment-status query: live status from ECS, SQS and the state table. */
  environmentStatus: (target: NamedEnvironment) => Promise<EnvironmentStatus>;
  /** Its one-line form, from the state table only. */
  environmentSummary: (target: NamedEnvironment) => Promise<EnvironmentSummary>;
}

/**
 * `GET /environments`: any authenticated caller; lists only the environments the caller may read, so
 * a caller on no allow-list gets an empty list rather than a 403 (no single environment is named).
 */
export function listEnvironmentsRoute(deps: EnvironmentRouteDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/environments',
    summary: 'The environments the caller may read, each with a one-line state',
    access: 'authenticated',
    responses: { 200: { description: 'Readable environments', schema: environmentListSchema } },
    handler: async (_event, context) => {
      const caller = callerOf(context);
      const readable = Object.entries(deps.config.environments).filter(([, env]) => actorMay(caller, env, 'read'));
      const list: z.output<typeof environmentListSchema> = {
        environments: await Promise.all(readable.map(([name, env]) => deps.environmentSummary({ name, env }))),
      };
      return jsonResponse(200, list, context.awsRequestId);
    },
  };
}

/** `GET /environments/{env}`: live status read from ECS, SQS and the state table. */
export function environmentStatusRoute(deps: EnvironmentRouteDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/environments/{env}',
    summary: "An environment's live status: services, queues, the active release and the autoscaler's last decisions",
    access: 'read',
    responses: { 200: { description: 'Live status', schema: environmentStatusSchema } },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'read', context);
      const status: z.output<typeof environmentStatusSchema> = await deps.environmentStatus(target);
      return jsonResponse(200, status, context.awsRequestId);
    },
  };
}
