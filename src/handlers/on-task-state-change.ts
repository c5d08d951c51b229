import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { releaseIdOfStartedBy } from '../domain/names.js';
import { advanceRolloutOf } from '../use-cases/roll-out.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { ecsTaskStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { rolloutEventSummary } from './summaries.js';
import { config, rolloutPorts } from './wiring.js';

type TaskEvent = z.output<typeof ecsTaskStateChangeEvent>;

function irrelevant({ detail }: TaskEvent) {
  return releaseIdOfStartedBy(detail.startedBy) && detail.lastStatus === 'STOPPED'
    ? undefined
    : {
        taskArn: detail.taskArn,
        startedBy: detail.startedBy,
        lastStatus: detail.lastStatus,
        reason: 'not a stopped conductor task',
      };
}

/** A deployment task STOPPED → its release passes or fails on the essential container's exit code. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecsTaskStateChangeEvent, irrelevant))
  // ECS repeats an event with the same `version`; a new version is news.
  .use(idempotentOn('[detail.taskArn, detail.version]'))
  .handler(async (raw: unknown, context: Context) => {
    const { detail } = raw as TaskEvent;
    const releaseId = releaseIdOfStartedBy(detail.startedBy) ?? '';
    const release = await advanceRolloutOf(rolloutPorts(context.awsRequestId), config.environments, releaseId, {
      task: detail,
      taskArn: detail.taskArn,
    });
    const exitCodes = detail.containers.map((container) => ({ [container.name]: container.exitCode ?? null }));
    logger.info('task stopped', {
      releaseId,
      taskArn: detail.taskArn,
      stopCode: detail.stopCode,
      exitCodes,
      releaseState: release?.state,
      failure: release?.failure,
    });
    return rolloutEventSummary(releaseId, release, { taskArn: detail.taskArn, stopCode: detail.stopCode, exitCodes });
  });
