import { ECRClient } from '@aws-sdk/client-ecr';
import { readFileSync } from 'node:fs';
import type { LocalEndpoints } from '../../scripts/local.js';
import { releaseIdFor } from '../../src/domain/release.js';
import { pushImage } from './ecr-images.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
  detail: Record<string, unknown>;
};

/**
 * Pushes a source image of cgap-mastertest to local mode's emulator and delivers its ECR event to
 * onImagePush, as EventBridge would; returns the id of the release it starts.
 */
export async function pushToLocalMode(endpoints: LocalEndpoints, version: string): Promise<string> {
  const digest = await pushImage(
    new ECRClient({
      endpoint: endpoints.emulator,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    'cgap-mastertest',
    version,
  );
  const event = { ...fixture, detail: { ...fixture.detail, 'image-tag': version, 'image-digest': digest } };
  const response = await fetch(`${endpoints.lambda}/2015-03-31/functions/ecs-conductor-local-onImagePush/invocations`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
  if (response.status !== 200) throw new Error(`onImagePush answered ${response.status}: ${await response.text()}`);
  return releaseIdFor('cgap-mastertest', digest, ['wsgi', 'indexer', 'ingester', 'deployment']);
}
