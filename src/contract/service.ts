import * as z from 'zod';
import { CONDUCTOR_SERVICE } from '../domain/names.js';
import { confirmField } from './releases.js';

/** Replies that belong to no resource (health, the OpenAPI document, errors) and the scale request. */

export const healthViewSchema = z.object({
  status: z.literal('ok'),
  service: z.literal(CONDUCTOR_SERVICE),
  stage: z.string(),
});

export const openApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** The body of every error reply (see `errorResponse`), as GET /openapi.json documents it. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('stable, machine-readable: NOT_FOUND, INVALID_REQUEST, FORBIDDEN, THROTTLED, ...'),
    message: z.string(),
    details: z
      .array(z.strictObject({ path: z.string().describe('e.g. body.version or query.limit'), message: z.string() }))
      .optional()
      .describe('one entry per problem, for 422'),
  }),
});

/** How long a manual scale holds the count by default, in minutes. */
export const DEFAULT_HOLD_MINUTES = 30;

export const scaleRequestSchema = z.strictObject({
  desiredCount: z.int().min(0).max(1000),
  holdMinutes: z
    .int()
    .min(0)
    .max(24 * 60)
    .default(DEFAULT_HOLD_MINUTES)
    .describe(
      'how long the autoscaler leaves the count alone; 0 sets the count with no hold (ending one in force), and the autoscaler may change it at its next pass',
    ),
  confirm: confirmField,
});

const holdSchema = z.object({ desiredCount: z.int(), until: z.string(), by: z.string() });

export const scaleViewSchema = z.object({
  environment: z.string(),
  service: z.string(),
  desiredCount: z.int(),
  hold: holdSchema.nullable().describe('null when the count was set with no hold'),
});

/** DELETE /environments/{env}/services/{service}/hold. */
export const endHoldViewSchema = z.object({
  environment: z.string(),
  service: z.string(),
  ended: holdSchema.nullable().describe('the hold that was in force and ended now, or null when there was none'),
});
