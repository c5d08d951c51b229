import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import { HttpError } from '../../../../src/handlers/http/http-error.js';
import { abortRoute } from '../../../../src/handlers/routes/rollouts.js';
import { abortRelease } from '../../../../src/use-cases/abort-release.js';
import { deployVersion } from '../../../../src/use-cases/deploy-version.js';
import { inMemoryWorld } from '../../../support/in-memory-ports.js';
import { builtRelease, named } from '../../../support/release-fixtures.js';
import { jsonHeaders } from '../../../support/http-event.js';
import { callRoute } from '../../../support/route-call.js';

/** POST /environments/{env}/abort over the real abort use case: status and body as the caller sees them. */

const config = readConductorConfigFile('conductor.yml');
const ENV = 'cgap-mastertest';
const OPERATOR = 'arn:aws:iam::123456789012:role/cgap-release';
const T0 = new Date('2026-12-01T10:00:00Z');
const reject = () => Promise.reject(new Error('not called'));

function abortCall() {
  const world = inMemoryWorld({ now: T0 });
  const release = builtRelease(ENV, '1.4.0', T0);
  world.put(release);
  const route = abortRoute({
    config,
    deployVersion: reject,
    rollBack: reject,
    redeploy: reject,
    abort: (target, ask, requestId) => abortRelease(world.ports(requestId), target, ask),
  });
  const call = (body: unknown, principal = OPERATOR) =>
    callRoute(route, `/environments/${ENV}/abort`, principal, {
      pathParameters: { env: ENV },
      headers: jsonHeaders('t'),
      body: JSON.stringify(body),
    });
  return { world, release, call };
}

describe('POST /environments/{env}/abort', () => {
  it('answers 200 with the release FAILED (kind aborted), and the same release when asked again', async () => {
    const { world, release, call } = abortCall();
    await deployVersion(world.ports('req-deploy'), named(ENV), {
      version: '1.4.0',
      triggeredBy: OPERATOR,
      requestId: 'req-deploy',
    });
    const first = await call({ reason: 'wrong branch' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.location).toBe(`/releases/${release.id}`);
    expect(first.json).toMatchObject({
      id: release.id,
      state: 'FAILED',
      failure: { kind: 'aborted', aborted: { by: OPERATOR, reason: 'wrong branch' } },
    });
    const again = await call({});
    expect(again).toMatchObject({ statusCode: 200, json: { id: release.id, failure: { kind: 'aborted' } } });
  });

  it('answers 409 saying what runs when nothing is rolling out', async () => {
    const { call } = abortCall();
    const refused = await call({}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      message: `nothing is rolling out in ${ENV} to abort: it runs no release the conductor recorded`,
      details: [{ path: 'environment', message: 'runs no release the conductor recorded' }],
    });
  });

  it('refuses a caller not on the deploy list, and a body with unknown fields', async () => {
    const { call } = abortCall();
    const stranger = 'arn:aws:iam::123456789012:role/someone-else';
    await expect(call({}, stranger)).rejects.toMatchObject({ statusCode: 403 });
    await expect(call({ force: true })).rejects.toMatchObject({
      statusCode: 422,
      message: 'the request body is invalid',
    });
  });
});
