import { httpApiHandler } from './http/http-api.js';
import { publicRoutes } from './routes/index.js';

/** The HTTP API's public routes (/health, /openapi.json), a function apart from the signed ones. */
export const handler = httpApiHandler(publicRoutes);
