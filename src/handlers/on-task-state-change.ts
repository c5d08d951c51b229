import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { progressRelease } from '../use-cases/progress-release.js';
import { acceptEvent } from './events/accept.js';
import { ecsTaskStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { config, rolloutPorts } from './wiring.js';

const STARTED_BY = /^ecs-conductor\/(rel-[0-9a-f]+)$/;

/** A deployment task STOPPED → its release passes or fails on the essential container's exit code. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => {
    const accepted = acceptEvent(ecsTaskStateChangeEvent, event);
    if (!accepted) return;
    const { detail } = accepted;
    const releaseId = STARTED_BY.exec(detail.startedBy ?? '')?.[1];
    if (!releaseId || detail.lastStatus !== 'STOPPED') {
      logger.info('task event ignored', { taskArn: detail.taskArn, startedBy: detail.startedBy, lastStatus: detail.lastStatus, reason: 'not a stopped conductor task' });
      return;
    }
    const release = await progressRelease(rolloutPorts(context.awsRequestId), config, releaseId, { task: detail, taskArn: detail.taskArn });
    logger.info('task stopped', {
      releaseId,
      taskArn: detail.taskArn,
      stopCode: detail.stopCode,
      exitCodes: detail.containers.map((container) => ({ [container.name]: container.exitCode ?? null })),
      releaseState: release?.state,
      failure: release?.failure,
    });
  });
