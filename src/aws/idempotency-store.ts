import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { stateTableDefinition } from './state-table-definition.js';
import { dynamoDbClient } from './state-table.js';

/**
 * Powertools' idempotency records in the state table: pk `idempotency#<function>`, sk the key's
 * hash, removed by TTL. One store per handler: a store remembers its key path.
 */
export function createIdempotencyStore(tableName: string): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: stateTableDefinition.timeToLiveAttribute,
    awsSdkV3Client: dynamoDbClient,
  });
}
