import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { openApiDocumentSchema } from '../../contract/api.js';
import { jsonResponse } from '../http/responses.js';
import { openApiDocument, type OpenApiDocument, type OpenApiOptions } from './openapi-document.js';
import { OPENAPI_ROUTE } from './public-paths.js';
import type { ApiRouteSpec } from './route.js';

/** The origin the request reached, as its caller wrote it: the API's own server for tools such as Swagger UI. */
export function requestOrigin(event: APIGatewayProxyEventV2): string | undefined {
  const host = event.headers.host ?? event.requestContext.domainName;
  if (!host) return undefined;
  const local = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host);
  const protocol = event.headers['x-forwarded-proto'] ?? (local ? 'http' : 'https');
  return `${protocol}://${host}`;
}

/**
 * `GET /openapi.json`, public like /health so that Swagger UI and other tools can load it: it says
 * nothing a caller could not learn from the code. Takes the route list as a function, so the registry
 * can include this route without an import cycle; the document is built on first request and kept
 * (routes never change), its `servers` the origin each request reached.
 */
export function openApiRoute(routes: () => readonly ApiRouteSpec[], options: OpenApiOptions = {}): ApiRouteSpec {
  let document: OpenApiDocument | undefined;
  return {
    ...OPENAPI_ROUTE,
    summary: 'This OpenAPI 3.1 document (no credentials needed)',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document of the API', schema: openApiDocumentSchema } },
    handler: (event, context) => {
      document ??= openApiDocument(routes(), options);
      const origin = requestOrigin(event);
      const served = origin ? { ...document, servers: [{ url: origin }] } : document;
      return Promise.resolve(jsonResponse(200, served, context.awsRequestId));
    },
  };
}
