import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * What serverless.yml gives a deployed function: the (resolved) example config and the table name.
 * Handlers read both at module scope, so this runs before any test file imports them.
 */
process.env.CONDUCTOR_CONFIG = JSON.stringify(
  parse(readFileSync(new URL('../../conductor.yml', import.meta.url), 'utf8')),
);
process.env.CONDUCTOR_STAGE = 'test';
process.env.CONDUCTOR_TABLE ??= 'ecs-conductor-test-state';
// Local-mode callers for API tests: a release operator allowed everywhere and an outsider.
process.env.CONDUCTOR_API_TOKENS = JSON.stringify({
  'release-token': 'arn:aws:iam::123456789012:role/cgap-release',
  'developer-token': 'arn:aws:iam::123456789012:role/cgap-developer',
  'outsider-token': 'arn:aws:iam::123456789012:role/outsider',
});
