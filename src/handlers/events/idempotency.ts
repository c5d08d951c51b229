import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamoDbClient } from '../../aws/state-table.js';
import { stateTableDefinition } from '../../aws/state-table-definition.js';
import { settings } from '../wiring.js';

/**
 * Runs the handler once per natural key (a JMESPath over the event), however often EventBridge
 * delivers it; a delivery while the first is still running fails and is retried by Lambda.
 */
export function idempotentOn(eventKeyJmesPath: string) {
  return makeHandlerIdempotent({
    // One store per handler: a store remembers its key path. Records share the state table:
    // pk `idempotency#<function>`, sk the key's hash, removed by TTL.
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: settings.tableName,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      expiryAttr: stateTableDefinition.timeToLiveAttribute,
      awsSdkV3Client: dynamoDbClient,
    }),
    config: new IdempotencyConfig({ eventKeyJmesPath, expiresAfterSeconds: 24 * 3600, throwOnNoIdempotencyKey: true }),
  });
}
