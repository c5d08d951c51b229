import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { clientConfig } from './client-config.js';
import { callAws } from './errors.js';
import { stateTableDefinition } from './state-table-definition.js';

/** One row of the state table: keys, optional index keys and TTL, and the record's own attributes. */
export interface StateItem {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
  /** Epoch seconds after which DynamoDB's TTL may delete the row. */
  expiration?: number;
  /** Optimistic-concurrency counter, raised by one on every updateIfVersion. */
  version?: number;
  [attribute: string]: unknown;
}

export type ItemKey = Record<string, unknown>;

export interface QueryOptions {
  limit?: number;
  /** The `lastEvaluatedKey` of the previous page. */
  exclusiveStartKey?: ItemKey;
  /** Descending gsi1sk order (gsi1sk holds a timestamp for listings). */
  newestFirst?: boolean;
}

export interface ItemPage {
  items: StateItem[];
  /** Present when more items follow; pass it back as `exclusiveStartKey`. */
  lastEvaluatedKey?: ItemKey;
}

const GSI1 = stateTableDefinition.GlobalSecondaryIndexes[0].IndexName;
/** Attributes updateIfVersion maintains itself or that DynamoDB does not let an update change. */
const PROTECTED_ATTRIBUTES = new Set(['pk', 'sk', 'version']);

/** The container's one DynamoDB client: the state table and the event handlers' idempotency records share it. */
export const dynamoDbClient = new DynamoDBClient(clientConfig);

const defaultDocumentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

/** A store over the conductor's state table; failures other than lost conditions are AwsCallErrors. */
export function createStateTable(tableName: string, client: DynamoDBDocumentClient = defaultDocumentClient) {
  const call = <T>(operation: string, key: string, send: () => Promise<T>) =>
    callAws(`dynamodb:${operation}`, `${key} in table ${tableName}`, send);

  /** Reads one item (strongly consistent), or returns undefined when it does not exist. */
  async function getItem(pk: string, sk: string): Promise<StateItem | undefined> {
    const response = await call('GetItem', `item ${pk}/${sk}`, () =>
      client.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true })),
    );
    return response.Item as StateItem | undefined;
  }

  /** Writes the item unless one with its key exists; returns false (and writes nothing) if it does. */
  async function putIfAbsent(item: StateItem): Promise<boolean> {
    const written = await unlessConditionFails(() =>
      call('PutItem', `item ${item.pk}/${item.sk}`, () =>
        client.send(
          new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
        ),
      ),
    );
    return written !== undefined;
  }

  /**
   * Writes the item only if `condition` holds for the stored one (names and values are its
   * placeholders); returns false, writing nothing, when it does not.
   */
  async function putIf(
    item: StateItem,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const written = await unlessConditionFails(() =>
      call('PutItem', `item ${item.pk}/${item.sk}`, () =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      ),
    );
    return written !== undefined;
  }

  /**
   * Applies the changes (an undefined value removes the attribute) and raises `version` by one, only if
   * the stored version is `expectedVersion`; returns the updated item, or undefined if the item is missing
   * or another writer got there first. Throws if the changes touch pk, sk or version.
   */
  async function updateIfVersion(
    pk: string,
    sk: string,
    expectedVersion: number,
    changes: Record<string, unknown>,
  ): Promise<StateItem | undefined> {
    const touched = Object.keys(changes).filter((name) => PROTECTED_ATTRIBUTES.has(name));
    if (touched.length > 0) throw new Error(`updateIfVersion cannot change ${touched.join(', ')}`);
    const update = updateExpression(changes);
    const response = await unlessConditionFails(() =>
      call('UpdateItem', `item ${pk}/${sk}`, () =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk, sk },
            UpdateExpression: update.expression,
            ConditionExpression: '#version = :expectedVersion',
            ExpressionAttributeNames: { ...update.names, '#version': 'version' },
            ExpressionAttributeValues: {
              ...update.values,
              ':expectedVersion': expectedVersion,
              ':nextVersion': expectedVersion + 1,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      ),
    );
    return response?.Attributes as StateItem | undefined;
  }

  /**
   * Takes the lease on a lock row for `owner` until now + leaseSeconds; succeeds if the row is free, its
   * lease has expired, or `owner` already holds it (which renews it). Returns whether `owner` holds it now.
   */
  async function acquireLease(
    pk: string,
    sk: string,
    owner: string,
    leaseSeconds: number,
    now: Date,
  ): Promise<boolean> {
    const nowSeconds = epochSeconds(now);
    const leaseExpiresAt = nowSeconds + leaseSeconds;
    const written = await unlessConditionFails(() =>
      call('PutItem', `lease ${pk}/${sk}`, () =>
        client.send(
          new PutCommand({
            TableName: tableName,
            // TTL clears the row once the lease has lapsed; until then the condition below ignores it.
            Item: { pk, sk, owner, leaseExpiresAt, expiration: leaseExpiresAt },
            ConditionExpression: 'attribute_not_exists(pk) OR leaseExpiresAt < :now OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':now': nowSeconds, ':owner': owner },
          }),
        ),
      ),
    );
    return written !== undefined;
  }

  /** Frees the lease if `owner` holds it or nobody does; returns false when another owner holds it. */
  async function releaseLease(pk: string, sk: string, owner: string): Promise<boolean> {
    const deleted = await unlessConditionFails(() =>
      call('DeleteItem', `lease ${pk}/${sk}`, () =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk, sk },
            ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        ),
      ),
    );
    return deleted !== undefined;
  }

  /**
   * Every item of one partition, strongly consistent, in sk order: one Query (more only past 1 MB),
   * where a GetItem per item would be one read each.
   */
  async function queryPartition(pk: string): Promise<StateItem[]> {
    const items: StateItem[] = [];
    let exclusiveStartKey: ItemKey | undefined;
    do {
      const response = await call('Query', `partition ${pk}`, () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ConsistentRead: true,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      items.push(...((response.Items ?? []) as StateItem[]));
      exclusiveStartKey = response.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    return items;
  }

  /** Lists one page of the items sharing a gsi1pk, in gsi1sk order (eventually consistent, as every GSI read). */
  async function queryByGsi1(gsi1pk: string, options: QueryOptions = {}): Promise<ItemPage> {
    const response = await call('Query', `index ${GSI1} partition ${gsi1pk}`, () =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: GSI1,
          KeyConditionExpression: 'gsi1pk = :gsi1pk',
          ExpressionAttributeValues: { ':gsi1pk': gsi1pk },
          ScanIndexForward: options.newestFirst !== true,
          Limit: options.limit,
          ExclusiveStartKey: options.exclusiveStartKey,
        }),
      ),
    );
    return { items: (response.Items ?? []) as StateItem[], lastEvaluatedKey: response.LastEvaluatedKey };
  }

  return { getItem, putIfAbsent, putIf, updateIfVersion, acquireLease, releaseLease, queryPartition, queryByGsi1 };
}

export type StateTable = ReturnType<typeof createStateTable>;

/** Runs a conditional write; returns its output, or undefined when its condition failed. */
async function unlessConditionFails<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof Error && err.cause instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

/** SET for defined values, REMOVE for undefined ones, and the version bump; names and values are placeholders. */
function updateExpression(changes: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = ['#version = :nextVersion'];
  const removes: string[] = [];
  Object.entries(changes).forEach(([name, value], index) => {
    names[`#a${index}`] = name;
    if (value === undefined) {
      removes.push(`#a${index}`);
    } else {
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
    }
  });
  const expression = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
  return { expression, names, values };
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
