import { CONDUCTOR_SERVICE } from '../../domain/names.js';
import type { ConductorConfig } from '../../config/schema.js';
import { healthViewSchema } from '../../contract/api.js';
import { jsonResponse } from '../http/responses.js';
import type { ApiRouteSpec } from './route.js';

/** `GET /health`: answers without credentials and without calling AWS. */
export function healthRoute(config: ConductorConfig, stage: string): ApiRouteSpec {
  return {
    method: 'GET',
    path: '/health',
    summary: 'Liveness of the API',
    access: 'public',
    responses: { 200: { description: 'The API is up', schema: healthViewSchema } },
    handler: (_event, context) =>
      Promise.resolve(
        jsonResponse(
          200,
          { status: 'ok', service: CONDUCTOR_SERVICE, stage, environments: Object.keys(config.environments).length },
          context.awsRequestId,
        ),
      ),
  };
}
