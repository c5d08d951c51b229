import type { Release } from '../domain/release.js';
import type { ReleaseRepository } from './ports.js';

/** How far back through an environment's history a search looks, page by page. */
export interface HistoryWindow {
  pageSize: number;
  maxPages: number;
}

type ReleaseLister = Pick<ReleaseRepository, 'listForEnvironment'>;

/** The environment's releases a page at a time, newest first, at most `maxPages` pages. */
export async function* historyPages(
  releases: ReleaseLister,
  environment: string,
  window: HistoryWindow,
): AsyncGenerator<Release[]> {
  let cursor: string | undefined;
  for (let page = 0; page < window.maxPages; page += 1) {
    const listed = await releases.listForEnvironment(environment, {
      limit: window.pageSize,
      ...(cursor ? { cursor } : {}),
    });
    yield listed.releases;
    if (!listed.cursor) return;
    cursor = listed.cursor;
  }
}
