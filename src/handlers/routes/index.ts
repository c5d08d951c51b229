import { settings } from '../wiring.js';
import { healthRoute } from './health.js';
import { openApiRoute } from './openapi.js';
import type { ApiRouteSpec } from './route.js';
import { signedRoutes } from './signed.js';

/**
 * Every route of the API, in one list, described by /openapi.json: the signed ones (the `api`
 * function) and the public ones (the `publicApi` function, which builds the document from this list).
 */
export const apiRoutes: ApiRouteSpec[] = [
  healthRoute(settings.stage),
  ...signedRoutes,
  // Last, and given the list lazily: it describes every route above, and itself.
  openApiRoute(() => apiRoutes, {
    // The document is public: its examples name nothing of the configuration.
    pathParameterExamples: { env: 'my-environment', service: 'my-service' },
  }),
];

/** The routes anyone may call, without credentials. */
export const publicRoutes = apiRoutes.filter((route) => route.access === 'public');
