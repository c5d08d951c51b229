import type { MiddlewareObj } from '@middy/core';
import type * as z from 'zod';
import { logger } from '../observability.js';
import { acceptEvent } from './accept.js';

/**
 * The event handlers' edge: validate the event, drop what is not the conductor's business, and only
 * then let it through (to idempotency and the handler). A dropped event gets one log line and
 * causes no write — not even an idempotency record — and no retry.
 * `irrelevant` returns why a well-formed event is none of ours, or undefined.
 */
export function eventEdge<S extends z.ZodType>(
  schema: S,
  irrelevant: (
    event: z.output<S>,
  ) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>,
): MiddlewareObj {
  return {
    before: async (request) => {
      const accepted = acceptEvent(schema, request.event);
      if (accepted === undefined) return null;
      const ignored = await irrelevant(accepted);
      if (ignored) {
        logger.info('event ignored', ignored);
        return null;
      }
      request.event = accepted;
      return undefined;
    },
  };
}
