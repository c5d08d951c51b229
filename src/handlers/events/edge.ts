import type { MiddlewareObj } from '@middy/core';
import type * as z from 'zod/mini';
import { logger } from '../observability.js';
import { ignoredSummary } from '../summaries.js';
import { acceptEvent } from './accept.js';

/**
 * The event handlers' edge: validate the event, drop what is not the conductor's business, and only
 * then let it through (to idempotency and the handler). A dropped event gets one log line and
 * causes no write — not even an idempotency record — and no retry; the invocation returns why.
 * `irrelevant` returns why a well-formed event is none of ours (`reason` and its fields), or undefined.
 */
/** Why an event is none of ours, with the fields that identify it. */
export type Irrelevant = { reason: string } & Record<string, unknown>;

export function eventEdge<S extends z.ZodMiniType>(
  schema: S,
  irrelevant: (event: z.output<S>) => Irrelevant | undefined | Promise<Irrelevant | undefined>,
): MiddlewareObj {
  return {
    before: async (request) => {
      const accepted = acceptEvent(schema, request.event);
      if (accepted === undefined) return ignoredSummary('not the event this function handles (unexpected shape)');
      const ignored = await irrelevant(accepted);
      if (ignored) {
        logger.info('event ignored', ignored);
        return ignoredSummary(ignored.reason, ignored);
      }
      request.event = accepted;
      return undefined;
    },
  };
}
