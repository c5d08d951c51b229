import { describe, expect, it, vi } from 'vitest';
import { createReleaseIndex } from '../../../src/aws/release-index.js';
import type { StateItem, StateTable } from '../../../src/aws/state-table.js';

/** A state table holding `rows`, counting its GetItem calls. */
function tableWith(rows: StateItem[]) {
  const getItem = vi.fn<StateTable['getItem']>((pk, sk) =>
    Promise.resolve(rows.find((row) => row.pk === pk && row.sk === sk)),
  );
  return { getItem, store: createReleaseIndex({ getItem } as unknown as StateTable) };
}

describe('release index: look-ups', () => {
  it('reads a build index row once per container: the edge and the handler share it', async () => {
    const { getItem, store } = tableWith([{ pk: 'BUILD#proj:1', sk: 'BUILD', releaseId: 'rel-1', entrypoint: 'wsgi' }]);

    const first = await store.findBuild('proj:1');
    const second = await store.findBuild('proj:1');

    expect(first).toEqual({ releaseId: 'rel-1', entrypoint: 'wsgi' });
    expect(second).toEqual(first);
    expect(getItem).toHaveBeenCalledOnce();
  });

  it('does not remember a miss: a deployment indexed a moment later is found', async () => {
    const rows: StateItem[] = [];
    const { getItem, store } = tableWith(rows);

    expect(await store.findDeployment('ecs-svc/1')).toBeUndefined();
    rows.push({ pk: 'DEPLOYMENT#ecs-svc/1', sk: 'DEPLOYMENT', releaseId: 'rel-2' });
    expect(await store.findDeployment('ecs-svc/1')).toBe('rel-2');
    expect(await store.findDeployment('ecs-svc/1')).toBe('rel-2');

    expect(getItem).toHaveBeenCalledTimes(2);
  });
});
