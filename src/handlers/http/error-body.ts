import * as z from 'zod';

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
