import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Release } from '../domain/release.js';
import { emulatorClientConfig, LocalModeError } from './emulator.js';
import { ecrPushEvent } from './events.js';
import { pushImage } from './images.js';
import { invokeFunction } from './invoke.js';
import { recentReleases } from './releases.js';

/**
 * A developer's `docker push` of a source image in local mode: a new image under `tag` in the
 * emulator's ECR, then its `ECR Image Action` event delivered to onImagePush as EventBridge would.
 */

export interface LocalTarget {
  emulator: string;
  /** serverless-offline's Lambda invoke endpoint. */
  lambda: string;
}

export interface PushedImage {
  repository: string;
  tag: string;
  digest: string;
  /** onImagePush's reply; undefined when it returned nothing. */
  reply: unknown;
  /** The release the push started or found, when the state table has one for this digest. */
  release: Pick<Release, 'id' | 'state' | 'version'> | undefined;
}

export async function pushSourceImage(
  target: LocalTarget,
  repository: string,
  tag: string,
  environment: string,
): Promise<PushedImage> {
  const ecr = new ECRClient(emulatorClientConfig(target.emulator));
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(emulatorClientConfig(target.emulator)));
  try {
    const digest = await pushImage(ecr, repository, tag).catch((error: unknown) => {
      throw (error as { name?: string }).name === 'RepositoryNotFoundException'
        ? new LocalModeError(`the emulator has no ECR repository ${repository}: is local mode running on this config?`)
        : error;
    });
    const { body } = await invokeFunction(target.lambda, 'onImagePush', ecrPushEvent(repository, tag, digest));
    const release = (await recentReleases(documents, environment)).find((found) => found.sourceDigest === digest);
    return {
      repository,
      tag,
      digest,
      reply: body,
      release: release && { id: release.id, state: release.state, version: release.version },
    };
  } finally {
    ecr.destroy();
    documents.destroy();
  }
}
