import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * What serverless.yml gives a deployed function: the (resolved) example config and the table name.
 * Handlers read both at module scope, so this runs before any test file imports them.
 */
process.env.CONDUCTOR_CONFIG = JSON.stringify(parse(readFileSync(new URL('../../conductor.yml', import.meta.url), 'utf8')));
process.env.CONDUCTOR_STAGE = 'test';
process.env.CONDUCTOR_TABLE ??= 'ecs-conductor-test-state';
