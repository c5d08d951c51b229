import { releasePageSchema } from '../contract/api.js';
import type { ApiClient } from '../api-client/api-client.js';
import { path } from './command-kit.js';

/** Release history pages read before giving up on a version: 10 × 100 releases. */
const MAX_PAGES = 10;

/**
 * `RELEASE` or `ENV VERSION`: the id itself, or the newest release of that version in the
 * environment, found in its history (newest first), so a reader can name what they pushed.
 */
export async function releaseIdOf(client: ApiClient, reference: string, version: string | undefined): Promise<string> {
  if (version === undefined) return reference;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { body } = await client.request('GET', `${path('environments', reference)}/releases`, {
      query: { limit: 100, cursor },
    });
    const { releases, cursor: next } = releasePageSchema.parse(body);
    const found = releases.find((release) => release.version === version);
    if (found) return found.id;
    if (next === undefined) break;
    cursor = next;
  }
  throw new Error(`no release of version ${version} in environment ${reference} (see: releases ${reference})`);
}
