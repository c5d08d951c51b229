import type { ApiRouteSpec } from './route.js';
import type { JsonSchema } from './openapi-schema.js';

/** What the OpenAPI document says of every route besides its own replies: its error statuses and headers. */

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, or a body that is not UTF-8',
  401: 'No credentials, or invalid ones',
  403: "The caller is not on the environment's allow-list for this action",
  404: 'Unknown environment, service, release or route',
  409: 'Conflicts with the state of the environment or release',
  413: 'Body over 64 KiB',
  415: 'Body that is not application/json',
  422: 'Schema violations, one detail per path',
  500: 'Unexpected failure; the message quotes the request id',
  503: 'AWS is throttling the conductor; retry after Retry-After seconds',
};

const ERROR_REF = { $ref: '#/components/schemas/Error' };
export const REQUEST_ID_HEADER = { description: 'Identifies the request in the logs', schema: { type: 'string' } };
export const ACTIONS = new Set(['read', 'build', 'deploy', 'scale']);

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

/** The error statuses a route can answer with, from what it declares and what the API does to every route. */
export function errorStatuses(route: ApiRouteSpec): number[] {
  const statuses = new Set<number>([500]);
  if (route.access !== 'public') [401, 503].forEach((status) => statuses.add(status));
  if (ACTIONS.has(route.access)) statuses.add(403);
  if (pathParameterNames(route.path).length > 0) statuses.add(404);
  if (route.body) [400, 413, 415, 422].forEach((status) => statuses.add(status));
  if (route.query) statuses.add(422);
  for (const status of Object.keys(route.responses).map(Number)) if (status >= 400) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

export function errorResponse(route: ApiRouteSpec, status: number): JsonSchema {
  const headers: Record<string, unknown> = { 'x-request-id': REQUEST_ID_HEADER };
  if (status === 401)
    headers['www-authenticate'] = { description: 'The scheme to authenticate with', schema: { type: 'string' } };
  if (status === 503)
    headers['retry-after'] = { description: 'Seconds to wait before retrying', schema: { type: 'string' } };
  return {
    description: route.responses[status]?.description ?? ERROR_DESCRIPTIONS[status] ?? 'Error',
    headers,
    content: { 'application/json': { schema: ERROR_REF } },
  };
}
