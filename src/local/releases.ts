import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createReleaseRepository } from '../aws/release-repository.js';
import { createStateTable } from '../aws/state-table.js';
import { stateTableName } from '../domain/names.js';
import type { Release } from '../domain/release.js';
import { LOCAL_STAGE } from './emulator.js';

/**
 * An environment's newest releases, read from the emulator's state table through the release
 * repository (which owns the index's key format): what the event pump and `local push` look at,
 * without going through the API.
 */
export async function recentReleases(
  documents: DynamoDBDocumentClient,
  environment: string,
  limit = 10,
  stage = LOCAL_STAGE,
): Promise<Release[]> {
  const repository = createReleaseRepository(createStateTable(stateTableName(stage), documents));
  return (await repository.listForEnvironment(environment, { limit })).releases;
}
