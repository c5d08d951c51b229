import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { decideImagePush } from '../domain/image-push.js';
import { startReleaseBuilds } from '../use-cases/start-release-builds.js';
import { acceptEvent } from './events/accept.js';
import { ecrImageActionEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { buildPorts, config } from './wiring.js';

/** ECR push of a release's source image → one CodeBuild build per entrypoint, once per digest. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => {
    const accepted = acceptEvent(ecrImageActionEvent, event);
    if (!accepted) return;
    const { detail } = accepted;
    const push = {
      action: detail['action-type'],
      result: detail.result,
      repository: detail['repository-name'],
      digest: detail['image-digest'],
      tag: detail['image-tag'],
    };
    for (const decision of decideImagePush(config, push)) {
      if (decision.kind === 'ignore') {
        logger.info('push ignored', { reason: decision.reason, repository: push.repository, tag: push.tag, digest: push.digest });
        continue;
      }
      const env = config.environments[decision.environment];
      if (!env) continue;
      const { release, started } = await startReleaseBuilds(buildPorts(env, context.awsRequestId), env, {
        environment: decision.environment,
        version: decision.version,
        sourceDigest: decision.digest,
        triggeredBy: `push:${accepted.id}`,
      });
      logger.info(started.length > 0 ? 'release builds started' : 'release builds already started', {
        releaseId: release.id,
        environment: release.environment,
        version: release.version,
        digest: release.sourceDigest,
        started,
        builds: Object.fromEntries(Object.entries(release.builds).map(([name, build]) => [name, build.buildId])),
      });
    }
  });
