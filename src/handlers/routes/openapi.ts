import { openApiDocumentSchema } from '../../contract/api.js';
import { jsonResponse } from '../http/responses.js';
import { openApiDocument, type OpenApiDocument, type OpenApiOptions } from './openapi-document.js';
import type { ApiRouteSpec } from './route.js';

/**
 * `GET /openapi.json`. Takes the route list as a function, so the registry can include this route
 * without an import cycle; the document is built on first request and kept (routes never change).
 * Needs credentials like every route but /health.
 */
export function openApiRoute(routes: () => readonly ApiRouteSpec[], options: OpenApiOptions = {}): ApiRouteSpec {
  let document: OpenApiDocument | undefined;
  return {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    access: 'authenticated',
    responses: { 200: { description: 'The OpenAPI document of the API', schema: openApiDocumentSchema } },
    handler: (_event, context) => {
      document ??= openApiDocument(routes(), options);
      return Promise.resolve(jsonResponse(200, document, context.awsRequestId));
    },
  };
}
