import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type * as z from 'zod';
import { loadConductorConfig } from '../../config/load.js';
import { logger } from '../observability.js';
import { acceptEvent } from './accept.js';

/**
 * A handler the foundation declares, routes and validates, whose decisions belong to a later issue:
 * it accepts well-formed events, drops malformed ones, and logs one line saying nothing was done.
 */
export function eventHandlerAwaitingCapability<S extends z.ZodType<{ id: string }>>(
  schema: S,
  summarize: (event: z.output<S>) => Record<string, unknown>,
  issue: number,
) {
  // Validated once per container: a bad config fails the cold start, listing every problem.
  const config = loadConductorConfig();
  return middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event: unknown) => {
      const accepted = acceptEvent(schema, event);
      if (accepted) {
        logger.info('event accepted, no action taken', {
          eventId: accepted.id,
          detail: summarize(accepted),
          environments: Object.keys(config.environments).length,
          reason: `handling arrives with issue #${issue}`,
        });
      }
      return Promise.resolve();
    });
}

/** The scheduled counterpart: logs each tick and the environments it would visit. */
export function tickHandlerAwaitingCapability(issue: number) {
  const config = loadConductorConfig();
  return middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(() => {
      logger.info('tick, no action taken', {
        environments: Object.keys(config.environments),
        reason: `handling arrives with issue #${issue}`,
      });
      return Promise.resolve();
    });
}
