import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { repositoryName } from '../domain/names.js';
import { recordImageScan } from '../use-cases/record-image-scan.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { ecrImageScanEvent } from './events/schemas.js';
import { logAutoDeploy, logger } from './observability.js';
import { config, releasePorts } from './wiring.js';

type ImageScanEvent = z.output<typeof ecrImageScanEvent>;

/** Scans of repositories no scan gate reads stop at the edge. */
function irrelevant({ detail }: ImageScanEvent) {
  const repository = detail['repository-name'];
  const gated = Object.values(config.environments).some(
    (env) => env.gates?.scan && repositoryName(env.repository) === repository,
  );
  return gated ? undefined : { repository, reason: 'no scan gate reads this repository' };
}

/**
 * An ECR scan finished (onImagePush's second event source): the releases with that image record it,
 * and one that auto-deploys tries its gates again now rather than at reconcile's next tick.
 */
export const scanHandler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecrImageScanEvent, irrelevant))
  .use(idempotentOn('[detail."repository-name", detail."image-digest", detail."scan-status"]'))
  .handler(async (raw: unknown, context: Context) => {
    const { detail } = raw as ImageScanEvent;
    const scan = {
      repository: detail['repository-name'],
      digest: detail['image-digest'],
      status: detail['scan-status'],
      counts: detail['finding-severity-counts'] ?? {},
    };
    const recorded = await recordImageScan(
      releasePorts(context.awsRequestId),
      config.environments,
      scan,
      context.awsRequestId,
    );
    for (const { autoDeploy } of recorded) logAutoDeploy(autoDeploy);
    logger.info('image scan recorded', { ...scan, releases: recorded.map((entry) => entry.releaseId) });
    return {
      outcome: 'handled',
      releases: recorded.map(({ releaseId, environment, autoDeploy }) => ({
        releaseId,
        environment,
        autoDeploy: autoDeploy.kind,
      })),
    };
  });

/** Whether an event is ECR's scan result rather than a push (both reach onImagePush). */
export function isImageScanEvent(event: unknown): boolean {
  return (event as { 'detail-type'?: unknown } | null)?.['detail-type'] === 'ECR Image Scan';
}
