import { CONDUCTOR_SERVICE } from '../../domain/names.js';
import { healthViewSchema } from '../../contract/api.js';
import { jsonResponse } from '../http/responses.js';
import { HEALTH_ROUTE } from './public-paths.js';
import type { ApiRouteSpec } from './route.js';

/**
 * `GET /health`: answers without credentials and without calling AWS, and so names nothing of the
 * configuration (no environment, no count of them) to whoever asks.
 */
export function healthRoute(stage: string): ApiRouteSpec {
  return {
    ...HEALTH_ROUTE,
    summary: 'Liveness of the API',
    access: 'public',
    responses: { 200: { description: 'The API is up', schema: healthViewSchema } },
    handler: (_event, context) =>
      Promise.resolve(jsonResponse(200, { status: 'ok', service: CONDUCTOR_SERVICE, stage }, context.awsRequestId)),
  };
}
