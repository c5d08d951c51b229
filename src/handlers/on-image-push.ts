import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { decideImagePush, pushClaimOwner } from '../domain/image-push.js';
import { autoDeployRelease } from '../use-cases/auto-deploy-release.js';
import { startRelease } from '../use-cases/record-image-release.js';
import { eventEdge } from './events/edge.js';
import { inspectorScanHandler, scanEventScanner, scanHandler } from './on-image-scan.js';
import { idempotentOn } from './events/idempotency.js';
import { ecrImageActionEvent } from './events/schemas.js';
import { logAutoDeploy, logger } from './observability.js';
import { ignoredSummary, pushSummary, type PushSummary } from './summaries.js';
import { buildPorts, config, releasePorts } from './wiring.js';
import { buildsImages } from '../domain/environment.js';

type ImagePushEvent = z.output<typeof ecrImageActionEvent>;

function decisions({ detail }: ImagePushEvent) {
  return decideImagePush(config.environments, {
    action: detail['action-type'],
    result: detail.result,
    repository: detail['repository-name'],
    digest: detail['image-digest'],
    tag: detail['image-tag'],
  });
}

/** Pushes that start nothing (derived tags, other repositories, untagged, deletes) stop at the edge. */
function irrelevant(event: ImagePushEvent) {
  const decided = decisions(event);
  const reasons = decided.flatMap((decision) => (decision.kind === 'ignore' ? [decision.reason] : []));
  if (reasons.length < decided.length) return undefined;
  const { detail } = event;
  return {
    reason: reasons.join('; '),
    repository: detail['repository-name'],
    tag: detail['image-tag'],
    digest: detail['image-digest'],
  };
}

/**
 * ECR push of a release's source image → one CodeBuild build per entrypoint, once per digest; in a
 * single-image environment the pushed image is the release, BUILT at once, and auto-deploys from here.
 */
const pushHandler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecrImageActionEvent, irrelevant))
  .use(idempotentOn('[detail."repository-name", detail."image-digest", detail."image-tag"]'))
  .handler(async (raw: unknown, context: Context) => {
    // eventEdge let through only a validated event.
    const event = raw as ImagePushEvent;
    const releases: PushSummary[] = [];
    const skipped: string[] = [];
    for (const decision of decisions(event)) {
      if (decision.kind === 'ignore') {
        skipped.push(decision.reason);
        continue;
      }
      const env = config.environments[decision.environment];
      if (!env) continue;
      const owner = pushClaimOwner(decision.environment, decision.digest);
      const { release, started, waiting } = await startRelease(buildPorts(owner), env, {
        environment: decision.environment,
        version: decision.version,
        sourceDigest: decision.digest,
        triggeredBy: `push:${event.id}`,
      });
      const builds = started.length > 0 ? 'release builds started' : 'release builds already started';
      logger.info(buildsImages(env) ? builds : 'single-image release recorded', {
        releaseId: release.id,
        environment: release.environment,
        version: release.version,
        digest: release.sourceDigest,
        started,
        builds: Object.fromEntries(Object.entries(release.builds).map(([name, build]) => [name, build.buildId])),
      });
      // Fail the delivery so Lambda retries it (and no idempotency record says it is done).
      if (waiting.length > 0)
        throw new Error(`builds of ${waiting.join(', ')} for release ${release.id} are claimed but not started yet`);
      // A built per-entrypoint release auto-deploys from onBuildStateChange; a single-image one is built now.
      if (buildsImages(env)) {
        releases.push(pushSummary(release, started));
        continue;
      }
      const target = { name: decision.environment, env };
      const ports = releasePorts(context.awsRequestId);
      const autoDeploy = await autoDeployRelease(ports, target, release, context.awsRequestId);
      logAutoDeploy(autoDeploy);
      releases.push(pushSummary(release, started, autoDeploy));
    }
    return releases.length > 0
      ? { outcome: 'handled', releases, ...(skipped.length > 0 ? { skipped } : {}) }
      : ignoredSummary(skipped.join('; ') || 'no environment takes this push');
  });

/** A push (above), or a scan's result from ECR's basic or Inspector's enhanced scanning (on-image-scan.ts). */
export const handler = (event: unknown, context: Context) => {
  const scanner = scanEventScanner(event);
  if (scanner === 'basic') return scanHandler(event, context);
  return scanner === 'enhanced' ? inspectorScanHandler(event, context) : pushHandler(event, context);
};
