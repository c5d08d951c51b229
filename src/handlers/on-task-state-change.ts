import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConductorConfig } from '../config/load.js';
import { acceptEvent } from './events/accept.js';
import { ecsTaskStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';

const config = loadConductorConfig();

/** A deployment task STOPPED → its release passes or fails on the exit code. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: unknown) => {
    const accepted = acceptEvent(ecsTaskStateChangeEvent, event);
    if (accepted) {
      // The foundation routes and validates the event; acting on it is issue #5's work.
      logger.info('event accepted, no action taken', {
        eventId: accepted.id,
        detail: { taskArn: accepted.detail.taskArn, startedBy: accepted.detail.startedBy, stopCode: accepted.detail.stopCode },
        environments: Object.keys(config.environments).length,
        reason: 'handling arrives with issue #5',
      });
    }
    return Promise.resolve();
  });
