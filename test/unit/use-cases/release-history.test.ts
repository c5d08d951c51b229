import { describe, expect, it } from 'vitest';
import { rollbackTarget } from '../../../src/use-cases/roll-back.js';
import { historyPages } from '../../../src/use-cases/release-history.js';
import { aRelease, releasePages } from '../../support/release-pages.js';

/** rel-000 … rel-{n-1}, newest first, all COMPLETED. */
const history = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    aRelease({
      id: `rel-${String(index).padStart(3, '0')}`,
      state: 'COMPLETED',
      createdAt: new Date(Date.UTC(2026, 10, 25) - index * 60_000).toISOString(),
    }),
  );

describe('historyPages', () => {
  it('pages through the environment newest first, following the cursor, and stops on the last page', async () => {
    const { releases, requests } = releasePages(history(7));
    const pages: string[][] = [];
    for await (const page of historyPages(releases, 'cgap-mastertest', { pageSize: 3, maxPages: 10 })) {
      pages.push(page.map((release) => release.id));
    }
    expect(pages).toEqual([['rel-000', 'rel-001', 'rel-002'], ['rel-003', 'rel-004', 'rel-005'], ['rel-006']]);
    expect(requests.map((request) => request.cursor === undefined)).toEqual([true, false, false]);
    expect(requests.every((request) => request.limit === 3 && request.environment === 'cgap-mastertest')).toBe(true);
  });

  it('reads no more than maxPages pages', async () => {
    const { releases, requests } = releasePages(history(20));
    let seen = 0;
    for await (const page of historyPages(releases, 'cgap-mastertest', { pageSize: 2, maxPages: 3 }))
      seen += page.length;
    expect(seen).toBe(6);
    expect(requests).toHaveLength(3);
  });
});

describe('rollbackTarget', () => {
  /** Completed when created: completion order is creation order unless a test says otherwise. */
  const completedHistory = (count: number) =>
    history(count).map((release) => ({ ...release, completedAt: release.createdAt }));

  it('is the COMPLETED release whose rollout ended last before the one rolled back from, however deep', async () => {
    const releases = completedHistory(60).map((release, index) =>
      index < 40 ? { ...release, state: index === 0 ? ('DEPLOYING' as const) : ('FAILED' as const) } : release,
    );
    const { releases: repository, requests } = releasePages(releases);
    const from = releases[0];
    if (!from) throw new Error('no release');
    expect((await rollbackTarget({ releases: repository }, 'cgap-mastertest', from))?.id).toBe('rel-040');
    // Creation order says nothing of completion order: the whole history is read.
    expect(requests.map((request) => request.limit)).toEqual([25, 25, 25]);
  });

  it('orders by completion, not creation: an older release rolled out later is the target', async () => {
    const releases = completedHistory(5);
    const [from, , , older] = releases;
    if (!from || !older) throw new Error('no release');
    // rel-003 was created before rel-001 and rel-002 but rolled out after them, just before rel-000.
    releases[3] = { ...older, completedAt: new Date(Date.parse(from.createdAt) - 1000).toISOString() };
    const { releases: repository } = releasePages(releases);
    const running = { ...from, completedAt: from.createdAt };
    expect((await rollbackTarget({ releases: repository }, 'cgap-mastertest', running))?.id).toBe('rel-003');
  });

  it('finds nothing beyond ten pages of 25', async () => {
    const releases = completedHistory(300).map((release, index) =>
      index < 250 ? { ...release, state: 'FAILED' as const } : release,
    );
    const { releases: repository, requests } = releasePages(releases);
    const from = releases[0];
    if (!from) throw new Error('no release');
    expect(await rollbackTarget({ releases: repository }, 'cgap-mastertest', from)).toBeUndefined();
    expect(requests).toHaveLength(10);
  });
});
