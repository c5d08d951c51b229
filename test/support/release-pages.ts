import type { Release } from '../../src/domain/release.js';
import type { ReleaseRepository } from '../../src/use-cases/ports.js';

/** A release of cgap-mastertest with the fields a test does not care about filled in. */
export function aRelease(overrides: Partial<Release> & Pick<Release, 'id'>): Release {
  return {
    environment: 'cgap-mastertest',
    version: '1.4.0',
    sourceDigest: `sha256:${'a'.repeat(64)}`,
    state: 'BUILT',
    builds: {},
    triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release',
    createdAt: '2026-11-25T15:00:00.000Z',
    updatedAt: '2026-11-25T15:00:00.000Z',
    timeline: [{ at: '2026-11-25T15:00:00.000Z', step: 'release created' }],
    ...overrides,
  };
}

/**
 * An environment's history as the release repository pages it: newest first (the order given), a
 * page of `limit` at a time with an opaque cursor to the next. Records every page it was asked for.
 */
export function releasePages(history: Release[]) {
  const requests: { environment: string; limit: number; cursor?: string }[] = [];
  const releases: Pick<ReleaseRepository, 'listForEnvironment'> = {
    listForEnvironment: (environment, page) => {
      requests.push({ environment, ...page });
      const own = history.filter((release) => release.environment === environment);
      const start = page.cursor === undefined ? 0 : Number(Buffer.from(page.cursor, 'base64url').toString());
      const next = start + page.limit;
      const cursor = next < own.length ? Buffer.from(String(next)).toString('base64url') : undefined;
      return Promise.resolve({ releases: own.slice(start, next), ...(cursor ? { cursor } : {}) });
    },
  };
  return { releases, requests };
}
