import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { stateTableName } from '../domain/names.js';
import { emulatorClientConfig, LOCAL_STAGE, LocalModeError } from './emulator.js';
import type { FailureSwitch } from './switches.js';

/**
 * Where the switches live while local mode runs: one item each in the emulator's state table, under
 * a partition of their own (no index key, so no query of the conductor's ever sees them). The CLI
 * writes them; the event pump reads them every tick. Put and delete by key: both idempotent.
 */

const PARTITION = 'LOCAL#switches';

export interface SwitchStore {
  list: () => Promise<FailureSwitch[]>;
  put: (entry: FailureSwitch) => Promise<void>;
  /** Removes the switches of one version (build and task), or every switch; returns what it removed. */
  clear: (version?: string) => Promise<FailureSwitch[]>;
  destroy: () => void;
}

function sortKey(entry: FailureSwitch): string {
  return `${entry.target}#${entry.version !== undefined ? `version#${entry.version}` : `pattern#${entry.pattern ?? ''}`}`;
}

function missingTable(error: unknown, table: string): unknown {
  return (error as { name?: string }).name === 'ResourceNotFoundException'
    ? new LocalModeError(`the emulator has no table ${table}: is local mode (npm start) running on it?`)
    : error;
}

/** The switches in the emulator's state table, through `shared` when the caller has a client already. */
export function createSwitchStore(emulator: string, stage = LOCAL_STAGE, shared?: DynamoDBDocumentClient): SwitchStore {
  const documents =
    shared ??
    DynamoDBDocumentClient.from(new DynamoDBClient(emulatorClientConfig(emulator)), {
      marshallOptions: { removeUndefinedValues: true },
    });
  const TableName = stateTableName(stage);

  const list = async (): Promise<FailureSwitch[]> => {
    const { Items = [] } = await documents
      .send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PARTITION },
        }),
      )
      .catch((error: unknown) => {
        throw missingTable(error, TableName);
      });
    return Items.map((item) => item.switch as FailureSwitch);
  };

  return {
    list,
    put: async (entry) => {
      await documents
        .send(new PutCommand({ TableName, Item: { pk: PARTITION, sk: sortKey(entry), switch: entry } }))
        .catch((error: unknown) => {
          throw missingTable(error, TableName);
        });
    },
    clear: async (version) => {
      const removed = (await list()).filter((entry) => version === undefined || entry.version === version);
      for (const entry of removed)
        await documents.send(new DeleteCommand({ TableName, Key: { pk: PARTITION, sk: sortKey(entry) } }));
      return removed;
    },
    // A shared client is its owner's to close.
    destroy: () => {
      if (!shared) documents.destroy();
    },
  };
}
