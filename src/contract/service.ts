import * as z from 'zod';

/** Replies that belong to no resource (health, the OpenAPI document, errors) and the scale request. */

export const healthViewSchema = z.object({
  status: z.literal('ok'),
  service: z.literal('ecs-conductor'),
  stage: z.string(),
  environments: z.int().min(0),
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

export const scaleRequestSchema = z.strictObject({
  desiredCount: z.int().min(0).max(1000),
  holdMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(30)
    .describe('how long the autoscaler leaves the count alone'),
});

export const scaleViewSchema = z.object({
  environment: z.string(),
  service: z.string(),
  desiredCount: z.int(),
  hold: z.object({ desiredCount: z.int(), until: z.string(), by: z.string() }),
});
