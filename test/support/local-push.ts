import { ECRClient } from '@aws-sdk/client-ecr';
import { readFileSync } from 'node:fs';
import type { LocalEndpoints } from '../../scripts/local.js';
import { releaseIdFor } from '../../src/domain/release.js';
import { pushImage } from './ecr-images.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
  detail: Record<string, unknown>;
};

/** Pushes a source image of cgap-mastertest (see below); returns the id of the release it starts. */
export async function pushToLocalMode(endpoints: LocalEndpoints, version: string): Promise<string> {
  return (await pushImageToLocalMode(endpoints, version, 'cgap-mastertest')).releaseId;
}

/**
 * Pushes a source image of an environment (its repository has its name) to local mode's emulator and
 * delivers its ECR event to onImagePush, as EventBridge would; returns the release id and the digest.
 */
export async function pushImageToLocalMode(
  endpoints: LocalEndpoints,
  version: string,
  environment: string,
): Promise<{ releaseId: string; digest: string }> {
  const digest = await pushImage(
    new ECRClient({
      endpoint: endpoints.emulator,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    environment,
    version,
  );
  const detail = { ...fixture.detail, 'repository-name': environment, 'image-tag': version, 'image-digest': digest };
  const event = { ...fixture, detail };
  const response = await fetch(`${endpoints.lambda}/2015-03-31/functions/ecs-conductor-local-onImagePush/invocations`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
  if (response.status !== 200) throw new Error(`onImagePush answered ${response.status}: ${await response.text()}`);
  return { releaseId: releaseIdFor(environment, digest, ['wsgi', 'indexer', 'ingester', 'deployment']), digest };
}
