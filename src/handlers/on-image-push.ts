import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type * as z from 'zod';
import { decideImagePush, pushClaimOwner } from '../domain/image-push.js';
import { startReleaseBuilds } from '../use-cases/start-release-builds.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { ecrImageActionEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { buildPorts, config } from './wiring.js';

type ImagePushEvent = z.output<typeof ecrImageActionEvent>;

function decisions({ detail }: ImagePushEvent) {
  return decideImagePush(config, {
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

/** ECR push of a release's source image → one CodeBuild build per entrypoint, once per digest. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(ecrImageActionEvent, irrelevant))
  .use(idempotentOn('[detail."repository-name", detail."image-digest", detail."image-tag"]'))
  .handler(async (raw: unknown) => {
    // eventEdge let through only a validated event.
    const event = raw as ImagePushEvent;
    for (const decision of decisions(event)) {
      if (decision.kind === 'ignore') continue;
      const env = config.environments[decision.environment];
      if (!env) continue;
      const owner = pushClaimOwner(decision.environment, decision.digest);
      const { release, started, waiting } = await startReleaseBuilds(buildPorts(owner), env, {
        environment: decision.environment,
        version: decision.version,
        sourceDigest: decision.digest,
        triggeredBy: `push:${event.id}`,
      });
      logger.info(started.length > 0 ? 'release builds started' : 'release builds already started', {
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
    }
  });
