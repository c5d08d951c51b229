import * as z from 'zod';
import type { ApiRoute } from './web/session.js';

/**
 * The API's own routes, as its OpenAPI document lists them: the only requests the console forwards.
 * Read from the API itself (GET /openapi.json), so a route the API adds is served without a console
 * change, and nothing else ever is.
 */

export type { ApiRoute };

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

const openApiPathsSchema = z.looseObject({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

/** The routes an OpenAPI document declares; a reply that is not one is an error naming what is missing. */
export function routesOfOpenApi(document: unknown): ApiRoute[] {
  const parsed = openApiPathsSchema.safeParse(document);
  if (!parsed.success) throw new Error('the API did not answer GET /openapi.json with an OpenAPI document');
  return Object.entries(parsed.data.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => METHODS.has(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** `/environments/{env}` → a matcher of one concrete path: each `{param}` is one non-empty segment. */
function pathMatcher(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, (char) => `\\${char}`),
    )
    .join('/');
  return new RegExp(`^${pattern}$`);
}

export interface RouteMatch {
  route: ApiRoute | undefined;
  /** Methods the path is served with, for a 405's `Allow` when `route` is undefined. */
  allowed: string[];
}

/** Finds the route a method and (percent-encoded) path belong to. */
export function matchRoute(routes: readonly ApiRoute[], method: string, path: string): RouteMatch {
  // `..` or an encoded slash could make the API see another path than the one matched here.
  if (/(^|\/)\.\.?(\/|$)|%2f|%5c|\\/i.test(path)) return { route: undefined, allowed: [] };
  const samePath = routes.filter((route) => pathMatcher(route.path).test(path));
  return {
    route: samePath.find((route) => route.method === method.toUpperCase()),
    allowed: samePath.map((route) => route.method),
  };
}
