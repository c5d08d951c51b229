import { describe, expect, it, vi } from 'vitest';
import { createScalingStore } from '../../../src/aws/scaling-store.js';
import type { StateItem, StateTable } from '../../../src/aws/state-table.js';

const partition: StateItem[] = [
  {
    pk: 'ENV#prod',
    sk: 'CURRENT',
    releaseId: 'rel-1',
    since: '2026-11-25T15:00:00Z',
    deploymentTaskRunAt: '2026-11-25T15:00:00Z',
  },
  { pk: 'ENV#prod', sk: 'LOCK', owner: 'rel-2@req-9', leaseExpiresAt: 1_790_000_000 },
  { pk: 'ENV#prod', sk: 'SCALING#ingestion', version: 7, record: { state: { checkedAt: 1 } } },
  {
    pk: 'ENV#prod',
    sk: 'SCALING#indexing',
    version: 2,
    record: { state: {}, hold: { desiredCount: 2, until: '2026-11-25T16:00:00Z', by: 'me' } },
  },
];

describe('scaling store: readEnvironment', () => {
  it("returns the environment's scaling records and rollout lock from one query of its partition", async () => {
    const queryPartition = vi.fn<StateTable['queryPartition']>(() => Promise.resolve(partition));
    const getItem = vi.fn<StateTable['getItem']>();
    const store = createScalingStore({ queryPartition, getItem } as unknown as StateTable);
    const read = await store.readEnvironment('prod');
    expect(queryPartition).toHaveBeenCalledExactlyOnceWith('ENV#prod');
    expect(getItem).not.toHaveBeenCalled();
    expect(read.lock).toEqual({ owner: 'rel-2@req-9', releaseId: 'rel-2', leaseExpiresAt: 1_790_000_000 });
    expect([...read.records]).toEqual([
      ['ingestion', { version: 7, record: { state: { checkedAt: 1 } } }],
      [
        'indexing',
        { version: 2, record: { state: {}, hold: { desiredCount: 2, until: '2026-11-25T16:00:00Z', by: 'me' } } },
      ],
    ]);
  });

  it('reads no lock and no records from an empty partition', async () => {
    const store = createScalingStore({ queryPartition: () => Promise.resolve([]) } as unknown as StateTable);
    expect(await store.readEnvironment('prod')).toEqual({ records: new Map(), lock: undefined });
  });
});
