/**
 * The API contract: every request and response schema (zod) of the HTTP API, in one module. The
 * routes validate and the OpenAPI document describes with these; the CLI parses replies with them.
 */
export * from './adopt.js';
export * from './deploy-plan.js';
export * from './environments.js';
export * from './releases.js';
export * from './service.js';
