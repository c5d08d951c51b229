import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConductorConfig } from '../config/load.js';
import { acceptEvent } from './events/accept.js';
import { codeBuildStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';

const config = loadConductorConfig();

/** CodeBuild build state → the release's build record. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: unknown) => {
    const accepted = acceptEvent(codeBuildStateChangeEvent, event);
    if (accepted) {
      // The foundation routes and validates the event; acting on it is issue #4's work.
      logger.info('event accepted, no action taken', {
        eventId: accepted.id,
        detail: { buildId: accepted.detail['build-id'], status: accepted.detail['build-status'] },
        environments: Object.keys(config.environments).length,
        reason: 'handling arrives with issue #4',
      });
    }
    return Promise.resolve();
  });
