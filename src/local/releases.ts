import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { stateTableName } from '../aws/state-table-definition.js';
import type { Release } from '../domain/release.js';
import { LOCAL_STAGE } from './emulator.js';

/**
 * An environment's newest releases, read straight from the emulator's state table (the index the
 * release repository writes): what the event pump and `local push` look at, without going through the API.
 */
export async function recentReleases(
  documents: DynamoDBDocumentClient,
  environment: string,
  limit = 10,
  stage = LOCAL_STAGE,
): Promise<Release[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: stateTableName(stage),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `ENV#${environment}#RELEASES` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return Items.map((item) => item.release as Release);
}
