import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCurrentReleases, createEnvironmentLocks } from '../../../src/aws/environment-records.js';
import { createStateTable } from '../../../src/aws/state-table.js';
import { stateTableDefinition } from '../../../src/aws/state-table-definition.js';

const tableName = `state-${randomUUID().slice(0, 8)}`;
const table = createStateTable(tableName);
const start = new Date('2030-01-01T00:00:00Z');

function unique(prefix: string): string {
  return `${prefix}#${randomUUID()}`;
}

function secondsAfter(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

beforeAll(async () => {
  await new DynamoDBClient({}).send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: stateTableDefinition.AttributeDefinitions.map((definition) => ({ ...definition })),
      KeySchema: stateTableDefinition.KeySchema.map((key) => ({ ...key })),
      GlobalSecondaryIndexes: stateTableDefinition.GlobalSecondaryIndexes.map((index) => ({
        ...index,
        KeySchema: index.KeySchema.map((key) => ({ ...key })),
      })),
      BillingMode: stateTableDefinition.BillingMode,
    }),
  );
});

describe('getItem and putIfAbsent', () => {
  it('writes an item once; a second put with the same key returns false and changes nothing', async () => {
    const pk = unique('IDEMPOTENCY');

    expect(await table.getItem(pk, 'RECORD')).toBeUndefined();
    expect(await table.putIfAbsent({ pk, sk: 'RECORD', result: 'first' })).toBe(true);
    expect(await table.putIfAbsent({ pk, sk: 'RECORD', result: 'second' })).toBe(false);

    expect(await table.getItem(pk, 'RECORD')).toEqual({ pk, sk: 'RECORD', result: 'first' });
  });

  it('treats items with the same pk but another sk as different items', async () => {
    const pk = unique('RELEASE');

    expect(await table.putIfAbsent({ pk, sk: 'STEP#1' })).toBe(true);
    expect(await table.putIfAbsent({ pk, sk: 'STEP#2' })).toBe(true);
  });
});

describe('updateIfVersion', () => {
  it('applies the changes and raises the version when the expected version matches', async () => {
    const pk = unique('RELEASE');
    await table.putIfAbsent({ pk, sk: 'STATE', version: 1, state: 'BUILDING', buildId: 'b-1' });

    const updated = await table.updateIfVersion(pk, 'STATE', 1, { state: 'DEPLOYING', step: 2, buildId: undefined });

    const expected = { pk, sk: 'STATE', version: 2, state: 'DEPLOYING', step: 2 };
    expect(updated).toEqual(expected);
    expect(await table.getItem(pk, 'STATE')).toEqual(expected);
  });

  it('returns undefined and leaves the item alone when another writer changed it first', async () => {
    const pk = unique('RELEASE');
    await table.putIfAbsent({ pk, sk: 'STATE', version: 1, state: 'BUILDING' });
    await table.updateIfVersion(pk, 'STATE', 1, { state: 'DEPLOYING' });

    expect(await table.updateIfVersion(pk, 'STATE', 1, { state: 'CANCELLED' })).toBeUndefined();
    expect(await table.getItem(pk, 'STATE')).toMatchObject({ version: 2, state: 'DEPLOYING' });
  });

  it('does not create an item that does not exist', async () => {
    const pk = unique('RELEASE');

    expect(await table.updateIfVersion(pk, 'STATE', 1, { state: 'DEPLOYING' })).toBeUndefined();
    expect(await table.getItem(pk, 'STATE')).toBeUndefined();
  });

  it('refuses to change the keys or the version itself', async () => {
    await expect(table.updateIfVersion('p', 's', 1, { pk: 'q', version: 7 })).rejects.toThrow(
      'cannot change pk, version',
    );
  });
});

describe('leases', () => {
  it('cannot be taken by a second owner until the first owner’s lease expires', async () => {
    const pk = unique('LOCK');

    expect(await table.acquireLease(pk, 'LEASE', 'release-a', 60, start)).toBe(true);
    expect(await table.acquireLease(pk, 'LEASE', 'release-b', 60, secondsAfter(start, 59))).toBe(false);
    expect(await table.getItem(pk, 'LEASE')).toMatchObject({ owner: 'release-a' });

    expect(await table.acquireLease(pk, 'LEASE', 'release-b', 60, secondsAfter(start, 61))).toBe(true);
    const lease = await table.getItem(pk, 'LEASE');
    const expiresAt = start.getTime() / 1000 + 121;
    expect(lease).toEqual({ pk, sk: 'LEASE', owner: 'release-b', leaseExpiresAt: expiresAt, expiration: expiresAt });
  });

  it('is renewed when its owner acquires it again', async () => {
    const pk = unique('LOCK');
    await table.acquireLease(pk, 'LEASE', 'release-a', 60, start);

    expect(await table.acquireLease(pk, 'LEASE', 'release-a', 60, secondsAfter(start, 50))).toBe(true);

    expect(await table.acquireLease(pk, 'LEASE', 'release-b', 60, secondsAfter(start, 70))).toBe(false);
  });

  it('is released only by its owner, after which another owner can take it at once', async () => {
    const pk = unique('LOCK');
    await table.acquireLease(pk, 'LEASE', 'release-a', 60, start);

    expect(await table.releaseLease(pk, 'LEASE', 'release-b')).toBe(false);
    expect(await table.getItem(pk, 'LEASE')).toMatchObject({ owner: 'release-a' });
    expect(await table.releaseLease(pk, 'LEASE', 'release-a')).toBe(true);
    expect(await table.getItem(pk, 'LEASE')).toBeUndefined();

    expect(await table.acquireLease(pk, 'LEASE', 'release-b', 60, secondsAfter(start, 1))).toBe(true);
  });

  it('treats releasing a free lease as done, so a retried release succeeds', async () => {
    expect(await table.releaseLease(unique('LOCK'), 'LEASE', 'release-a')).toBe(true);
  });
});

describe('queryByGsi1', () => {
  it('pages through one partition of the index in either order', async () => {
    const gsi1pk = unique('RELEASES');
    const times = [
      '2030-01-01T00:00:00Z',
      '2030-01-02T00:00:00Z',
      '2030-01-03T00:00:00Z',
      '2030-01-04T00:00:00Z',
      '2030-01-05T00:00:00Z',
    ];
    for (const time of times) await table.putIfAbsent({ pk: unique('RELEASE'), sk: 'STATE', gsi1pk, gsi1sk: time });
    await table.putIfAbsent({ pk: unique('RELEASE'), sk: 'STATE', gsi1pk: unique('RELEASES'), gsi1sk: times[0] });

    const first = await table.queryByGsi1(gsi1pk, { limit: 2, newestFirst: true });
    const second = await table.queryByGsi1(gsi1pk, {
      limit: 2,
      newestFirst: true,
      exclusiveStartKey: first.lastEvaluatedKey,
    });
    const third = await table.queryByGsi1(gsi1pk, {
      limit: 2,
      newestFirst: true,
      exclusiveStartKey: second.lastEvaluatedKey,
    });

    const newestFirst = [first, second, third].flatMap((page) => page.items.map((item) => item.gsi1sk));
    expect(newestFirst).toEqual([...times].reverse());
    expect(first.lastEvaluatedKey).toBeDefined();
    expect(third.lastEvaluatedKey).toBeUndefined();
    const oldestFirst = await table.queryByGsi1(gsi1pk);
    expect(oldestFirst.items.map((item) => item.gsi1sk)).toEqual(times);
  });
});

describe('one partition read', () => {
  it('returns every item of the partition, consistent right after the writes', async () => {
    const pk = unique('ENV');
    await table.putIfAbsent({ pk, sk: 'CURRENT', releaseId: 'rel-1' });
    await table.putIfAbsent({ pk, sk: 'SCALING#ingestion', version: 1 });
    await table.putIfAbsent({ pk: unique('ENV'), sk: 'CURRENT', releaseId: 'other' });

    expect((await table.queryPartition(pk)).map((item) => item.sk)).toEqual(['CURRENT', 'SCALING#ingestion']);
  });

  it('gives reconcile the environment’s lock and current release in one Query', async () => {
    const current = createCurrentReleases(table);
    const locks = createEnvironmentLocks(table);
    const environment = unique('env').replace('#', '-');
    const running = { releaseId: 'rel-old', since: start.toISOString(), deploymentTaskRunAt: start.toISOString() };
    expect(await current.environmentState(environment)).toEqual({ lock: undefined, current: undefined });

    await current.setCurrent(environment, running);
    await locks.lock(environment, 'rel-new@request-1', 60, start);
    await table.putIfAbsent({ pk: `ENV#${environment}`, sk: 'SCALING#ingestion', version: 1 });

    expect(await current.environmentState(environment)).toEqual({
      lock: { owner: 'rel-new@request-1', releaseId: 'rel-new', leaseExpiresAt: start.getTime() / 1000 + 60 },
      current: running,
    });
  });

  it('keeps an unknown last run of the routine task as unknown (null), through a create and an update', async () => {
    const current = createCurrentReleases(table);
    const environment = unique('env').replace('#', '-');
    const adopted = { releaseId: 'rel-adopted', since: start.toISOString(), deploymentTaskRunAt: null };

    await current.setCurrent(environment, adopted);
    expect(await current.current(environment)).toEqual(adopted);
    const ran = { ...adopted, deploymentTaskRunAt: start.toISOString() };
    await current.setCurrent(environment, ran);
    expect(await current.current(environment)).toEqual(ran);
    await current.setCurrent(environment, adopted);
    expect(await current.current(environment)).toEqual(adopted);
  });
});
