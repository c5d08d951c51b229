import * as z from 'zod';
import type { ScalingRecords } from '../../use-cases/ports.js';
import { ownEntry } from '../../config/lookup.js';
import { nameOf } from '../../domain/names.js';
import type { ConductorConfig } from '../../config/schema.js';
import { HttpError, notFound } from '../http/http-error.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import type { ApiRouteSpec } from './route.js';

export const scaleRequestSchema = z.strictObject({
  desiredCount: z.int().min(0).max(1000),
  holdMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(30)
    .describe('how long the autoscaler leaves the count alone'),
});

export const scaleViewSchema = z.object({
  environment: z.string(),
  service: z.string(),
  desiredCount: z.int(),
  hold: z.object({ desiredCount: z.int(), until: z.string(), by: z.string() }),
});

export interface ScaleRouteDeps {
  config: ConductorConfig;
  scaling: Pick<ScalingRecords, 'get' | 'save'>;
  setDesiredCount: (cluster: string, service: string, count: number) => Promise<void>;
  now: () => Date;
}

/** Writes the hold (retrying when the autoscaler writes at the same moment), so the autoscaler sees it. */
async function saveHold(
  deps: ScaleRouteDeps,
  environment: string,
  queue: string,
  hold: { desiredCount: number; until: string; by: string },
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const stored = await deps.scaling.get(environment, queue);
    const record = { ...(stored?.record ?? { state: {} }), hold };
    if (await deps.scaling.save(environment, queue, record, stored?.version ?? 0)) return;
    // Jittered, so that writers racing for the record do not collide again in step.
    await new Promise((resolveWait) => setTimeout(resolveWait, 10 + Math.random() * 40 * (attempt + 1)));
  }
  throw new HttpError(409, 'CONFLICT', `the scaling state of ${queue} kept changing; retry`);
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
      const { name, env } = environmentFor(deps.config, event.pathParameters?.env, 'scale', context);
      const key = event.pathParameters?.service ?? '';
      const service = ownEntry(env.services, key);
      if (!service) throw notFound(`service "${key}" in environment ${name}`);
      const body = validRequest(scaleRequestSchema, parseJsonBody(event));
      const queued = Object.entries(env.queues).find(([, queue]) => queue.service === key);
      if (!queued) {
        throw new HttpError(
          422,
          'NOT_SCALABLE',
          `service ${key} is not queue-driven; the conductor does not scale it`,
          [{ path: 'service', message: 'has no queue in the config' }],
        );
      }
      const [queueKey, queue] = queued;
      if (body.desiredCount < queue.minTasks || body.desiredCount > queue.maxTasks) {
        throw new HttpError(422, 'INVALID_REQUEST', 'the request body is invalid', [
          {
            path: 'body.desiredCount',
            message: `must be within [${String(queue.minTasks)}, ${String(queue.maxTasks)}] for ${key}`,
          },
        ]);
      }
      const hold = {
        desiredCount: body.desiredCount,
        until: new Date(deps.now().getTime() + body.holdMinutes * 60_000).toISOString(),
        by: callerOf(context).principal,
      };
      await saveHold(deps, name, queueKey, hold);
      await deps.setDesiredCount(env.cluster, nameOf(service.service), body.desiredCount);
      return jsonResponse(
        202,
        { environment: name, service: key, desiredCount: body.desiredCount, hold },
        context.awsRequestId,
      );
    },
  };
}
