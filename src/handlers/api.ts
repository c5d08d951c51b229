import { httpApiHandler } from './http/http-api.js';
import { PUBLIC_ROUTE_KEYS } from './routes/public-paths.js';
import { signedRoutes } from './routes/signed.js';

/** The HTTP API's signed routes: every request needs a caller (SigV4 in AWS, a bearer token locally). */
export const handler = httpApiHandler(signedRoutes, PUBLIC_ROUTE_KEYS);
