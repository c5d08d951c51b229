import type { ConductorConfig } from '../../config/schema.js';
import {
  SCALING_HISTORY_PATH,
  scalingHistoryQuerySchema,
  scalingHistorySchema,
  type ScalingHistory,
} from '../../contract/scaling-history.js';
import type { ScalingHistoryPort } from '../../use-cases/record-scaling-history.js';
import { HttpError, notFound } from '../http/http-error.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import type { ApiRouteSpec } from './route.js';
import { ownEntry } from '../../domain/environment.js';

export interface ScalingHistoryRouteDeps {
  config: ConductorConfig;
  history: Pick<ScalingHistoryPort, 'read'>;
  now: () => Date;
}

/**
 * `GET /environments/{env}/services/{service}/scaling-history?hours=6`: what the autoscaler saw of a
 * queue-driven service's queue and tasks, and each change it made with its reason (the console's chart).
 */
export function scalingHistoryRoute(deps: ScalingHistoryRouteDeps): ApiRouteSpec {
  return {
    method: 'GET',
    path: SCALING_HISTORY_PATH,
    summary: "A queue-driven service's queue, tasks and scaling decisions over the last hours",
    access: 'read',
    query: scalingHistoryQuerySchema,
    responses: { 200: { description: 'One sample a minute at most, and every change', schema: scalingHistorySchema } },
    handler: async (event, context) => {
      const { name, env } = environmentFor(deps.config, event.pathParameters?.env, 'read', context);
      const key = event.pathParameters?.service ?? '';
      if (!ownEntry(env.services, key)) throw notFound(`service "${key}" in environment ${name}`);
      const queued = Object.entries(env.queues).find(([, queue]) => queue.service === key);
      if (!queued)
        throw new HttpError(
          422,
          'NOT_SCALABLE',
          `service ${key} is not queue-driven; the autoscaler keeps no history of it`,
          [{ path: 'service', message: 'has no queue in the config' }],
        );
      const { hours } = validRequest(scalingHistoryQuerySchema, event.queryStringParameters ?? {}, 'query');
      const to = deps.now();
      const from = new Date(to.getTime() - hours * 3_600_000);
      const [queueKey, queue] = queued;
      const { samples, decisions } = await deps.history.read(name, queueKey, from, to);
      const body: ScalingHistory = {
        environment: name,
        service: key,
        queue: queueKey,
        from: from.toISOString(),
        to: to.toISOString(),
        minTasks: queue.minTasks,
        maxTasks: queue.maxTasks,
        samples,
        decisions,
      };
      return jsonResponse(200, body, context.awsRequestId);
    },
  };
}
