import type { HttpMethod } from './route.js';

interface PublicRoute {
  method: HttpMethod;
  path: string;
}

/** The public routes, served by the `publicApi` function: the one home of their method and path. */
export const HEALTH_ROUTE = { method: 'GET', path: '/health' } as const satisfies PublicRoute;
export const OPENAPI_ROUTE = { method: 'GET', path: '/openapi.json' } as const satisfies PublicRoute;
export const PUBLIC_ROUTE_KEYS = [HEALTH_ROUTE, OPENAPI_ROUTE] as const;
