import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Scanner } from '../domain/gates.js';
import { repositoryName } from '../domain/names.js';
import { recordImageScan, type ImageScan } from '../use-cases/record-image-scan.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { ecrImageScanEvent, inspectorScanEvent } from './events/schemas.js';
import { logAutoDeploy, logger } from './observability.js';
import { config, releasePorts } from './wiring.js';

/** The detail both scanners' events share: ECR names the repository, Inspector gives its ARN. */
type ScanDetail = z.output<typeof ecrImageScanEvent>['detail'] | z.output<typeof inspectorScanEvent>['detail'];

/** The event's scan in the use case's words, whichever scanner spoke. */
function imageScan(detail: ScanDetail): ImageScan {
  return {
    repository: repositoryName(detail['repository-name']),
    digest: detail['image-digest'],
    status: detail['scan-status'],
    counts: detail['finding-severity-counts'] ?? {},
  };
}

/**
 * Scans no scan gate reads stop at the edge: another repository, or a scanner the environment's
 * gate does not declare (its registry is not scanned that way, so the event is not about its images).
 */
function irrelevantTo(scanner: Scanner) {
  return ({ detail }: { detail: ScanDetail }) => {
    const repository = repositoryName(detail['repository-name']);
    const gates = Object.values(config.environments).flatMap((env) =>
      env.gates?.scan && repositoryName(env.repository) === repository ? [env.gates.scan] : [],
    );
    if (gates.length === 0) return { repository, reason: 'no scan gate reads this repository' };
    if (!gates.some((gate) => gate.scanner === scanner))
      return { repository, reason: `the scan gates of this repository declare no ${scanner} scanner` };
    return undefined;
  };
}

/** The releases with that image record the scan; one that auto-deploys tries its gates again now. */
async function recordScan(detail: ScanDetail, scanner: Scanner, context: Context) {
  const scan = imageScan(detail);
  const recorded = await recordImageScan(
    releasePorts(context.awsRequestId),
    config.environments,
    scan,
    context.awsRequestId,
  );
  for (const { autoDeploy } of recorded) logAutoDeploy(autoDeploy);
  logger.info('image scan recorded', { ...scan, scanner, releases: recorded.map((entry) => entry.releaseId) });
  return {
    outcome: 'handled',
    releases: recorded.map(({ releaseId, environment, autoDeploy }) => ({
      releaseId,
      environment,
      autoDeploy: autoDeploy.kind,
    })),
  };
}

/** An ECR basic scan finished (onImagePush's second event source). */
export const scanHandler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecrImageScanEvent, irrelevantTo('basic')))
  .use(idempotentOn('[detail."repository-name", detail."image-digest", detail."scan-status"]'))
  .handler((raw: unknown, context: Context) =>
    recordScan((raw as z.output<typeof ecrImageScanEvent>).detail, 'basic', context),
  );

/**
 * Amazon Inspector scanned an image (onImagePush's third source). Its rescans come with the same
 * status and new counts: the counts are part of the key, so a changed result is recorded again.
 */
export const inspectorScanHandler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(inspectorScanEvent, irrelevantTo('enhanced')))
  .use(
    idempotentOn(
      '[detail."repository-name", detail."image-digest", detail."scan-status", detail."finding-severity-counts"]',
    ),
  )
  .handler((raw: unknown, context: Context) =>
    recordScan((raw as z.output<typeof inspectorScanEvent>).detail, 'enhanced', context),
  );

/** Which scanner's result an event is, if it is one (both reach onImagePush beside ECR's pushes). */
export function scanEventScanner(event: unknown): Scanner | undefined {
  const detailType = (event as { 'detail-type'?: unknown } | null)?.['detail-type'];
  if (detailType === 'ECR Image Scan') return 'basic';
  return detailType === 'Inspector2 Scan' ? 'enhanced' : undefined;
}
