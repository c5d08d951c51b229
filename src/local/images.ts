import { PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { createHash, randomUUID } from 'node:crypto';

/** Images in the emulator's ECR, as `docker push` (or an emulated build) would leave them. */

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A minimal Docker v2 manifest; ECR (and moto) reject PutImage without one. Unique so digests differ. */
export function uniqueManifest(): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: sha256(randomUUID()) },
    layers: [
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2811, digest: sha256(randomUUID()) },
    ],
  });
}

/** Pushes a new image under a tag, as `docker push` would, and returns the digest ECR computed for it. */
export async function pushImage(client: ECRClient, repositoryName: string, imageTag: string): Promise<string> {
  const response = await client.send(
    new PutImageCommand({ repositoryName, imageTag, imageManifest: uniqueManifest() }),
  );
  return response.image?.imageId?.imageDigest ?? '';
}
