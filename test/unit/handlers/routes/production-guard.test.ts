import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import type { ConductorConfig } from '../../../../src/config/schema.js';
import { HttpError } from '../../../../src/handlers/http/http-error.js';
import { abortRoute, deployRoute, rollbackRoute } from '../../../../src/handlers/routes/rollouts.js';
import { scaleRoute } from '../../../../src/handlers/routes/scale.js';
import type { ApiRouteSpec } from '../../../../src/handlers/routes/route.js';
import { jsonHeaders } from '../../../support/http-event.js';
import { callRoute } from '../../../support/route-call.js';

const base = readConductorConfigFile('conductor.yml');
const PROD = 'cgap-prod';
const RELEASE_ROLE = 'arn:aws:iam::123456789012:role/cgap-release';
const prodEnv = base.environments[PROD];
if (!prodEnv) throw new Error('conductor.yml has no cgap-prod');
/** conductor.yml with cgap-prod marked `production: true`. */
const config: ConductorConfig = {
  ...base,
  environments: { ...base.environments, [PROD]: { ...prodEnv, production: true } },
};

const reached: string[] = [];
const refuse = (what: string) => () => {
  reached.push(what);
  return Promise.reject(new Error(`${what} reached the use case`));
};
const rollouts = {
  config,
  deployVersion: refuse('deploy'),
  rollBack: refuse('rollback'),
  redeploy: refuse('redeploy'),
  abort: refuse('abort'),
};
const scale = { config, holdServiceScale: refuse('scale'), endServiceHold: refuse('end hold') };

async function refusal(route: ApiRouteSpec, path: string, body: object, pathParameters: Record<string, string>) {
  const principal = RELEASE_ROLE;
  return callRoute(route, path, principal, {
    body: JSON.stringify(body),
    headers: jsonHeaders('t'),
    pathParameters,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('a production environment (production: true) changes only with its name confirmed', () => {
  const cases: [string, ApiRouteSpec, string, object, Record<string, string>][] = [
    ['deploy', deployRoute(rollouts), `/environments/${PROD}/deployments`, { version: '1.5.0' }, { env: PROD }],
    ['rollback', rollbackRoute(rollouts), `/environments/${PROD}/rollback`, {}, { env: PROD }],
    ['abort', abortRoute(rollouts), `/environments/${PROD}/abort`, { reason: 'wrong build' }, { env: PROD }],
    [
      'scale',
      scaleRoute(scale),
      `/environments/${PROD}/services/indexer/scale`,
      { desiredCount: 2 },
      { env: PROD, service: 'indexer' },
    ],
  ];

  it.each(cases)(
    '%s without --confirm is refused with 422 on body.confirm',
    async (what, route, path, body, params) => {
      reached.length = 0;
      const error = await refusal(route, path, body, params);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({
        statusCode: 422,
        code: 'CONFIRMATION_REQUIRED',
        details: [{ path: 'body.confirm', message: `must be "${PROD}": ${PROD} is production` }],
      });
      expect(reached).toEqual([]);
      const confirmed = await refusal(route, path, { ...body, confirm: PROD }, params);
      expect(confirmed).toBeInstanceOf(Error);
      expect(confirmed).not.toBeInstanceOf(HttpError);
      expect(reached).toEqual([what]);
    },
  );
});
