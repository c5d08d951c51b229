import type { LocalEndpoints } from '../../scripts/local.js';
import { pushSourceImage } from '../../src/local/push.js';

/** Pushes a source image of cgap-mastertest (see below); returns the id of the release it starts. */
export async function pushToLocalMode(endpoints: LocalEndpoints, version: string): Promise<string> {
  return (await pushImageToLocalMode(endpoints, version, 'cgap-mastertest')).releaseId;
}

/**
 * Pushes a source image of an environment (its repository has its name) to local mode's emulator and
 * delivers its ECR event to onImagePush, as `ecs-conductor local push` does; returns the release id
 * and the digest.
 */
export async function pushImageToLocalMode(
  endpoints: LocalEndpoints,
  version: string,
  environment: string,
): Promise<{ releaseId: string; digest: string }> {
  const pushed = await pushSourceImage(endpoints, environment, version, environment);
  if (!pushed.release) throw new Error(`onImagePush recorded no release for ${environment}:${version}`);
  return { releaseId: pushed.release.id, digest: pushed.digest };
}
