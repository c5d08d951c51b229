/**
 * Bearer tokens of the local mode the API tests share (test/support/shared-local-mode-setup.ts): the
 * printed local token (under serverless-offline the all-access local operator), and callers from
 * CONDUCTOR_API_TOKENS held to the allow-lists: one on every read list, one on none.
 */
export const LOCAL_TOKEN = 'api-test-token';

export const TOKENS = {
  release: LOCAL_TOKEN,
  developer: 'developer-token',
  outsider: 'outsider-token',
} as const;

/** CONDUCTOR_API_TOKENS of that local mode: each listed token's principal. */
export const LISTED_CALLERS: Record<string, string> = {
  [TOKENS.developer]: 'arn:aws:iam::123456789012:role/cgap-developer',
  [TOKENS.outsider]: 'arn:aws:iam::123456789012:role/outsider',
};
