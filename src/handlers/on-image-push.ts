import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConductorConfig } from '../config/load.js';
import { acceptEvent } from './events/accept.js';
import { ecrImageActionEvent } from './events/schemas.js';
import { logger } from './observability.js';

const config = loadConductorConfig();

/** ECR push of a release's source image → one CodeBuild build per entrypoint. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: unknown) => {
    const accepted = acceptEvent(ecrImageActionEvent, event);
    if (accepted) {
      // The foundation routes and validates the event; acting on it is issue #4's work.
      logger.info('event accepted, no action taken', {
        eventId: accepted.id,
        detail: { repository: accepted.detail['repository-name'], tag: accepted.detail['image-tag'], digest: accepted.detail['image-digest'] },
        environments: Object.keys(config.environments).length,
        reason: 'handling arrives with issue #4',
      });
    }
    return Promise.resolve();
  });
