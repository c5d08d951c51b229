import type { HttpMethod } from './route.js';

/** The public routes, served by the `publicApi` function: the one home of their method and path. */
export const HEALTH_ROUTE = { method: 'GET', path: '/health' } as const satisfies { method: HttpMethod; path: string };
export const OPENAPI_ROUTE = { method: 'GET', path: '/openapi.json' } as const satisfies {
  method: HttpMethod;
  path: string;
};
export const PUBLIC_ROUTE_KEYS = [HEALTH_ROUTE, OPENAPI_ROUTE] as const;
