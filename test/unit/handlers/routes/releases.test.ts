import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import { HttpError } from '../../../../src/handlers/http/http-error.js';
import { listReleasesRoute, type ReleaseRouteDeps } from '../../../../src/handlers/routes/releases.js';
import { InvalidCursorError } from '../../../../src/use-cases/ports.js';
import { callRoute } from '../../../support/route-call.js';

const config = readConductorConfigFile('conductor.yml');
const RELEASE_ROLE = 'arn:aws:iam::123456789012:role/cgap-release';

function routeFailingWith(error: Error) {
  const deps: ReleaseRouteDeps = {
    config,
    listReleases: () => Promise.reject(error),
    getRelease: () => Promise.resolve(undefined),
  };
  return listReleasesRoute(deps);
}

const list = (error: Error, search = '') =>
  callRoute(routeFailingWith(error), `/environments/cgap-mastertest/releases${search}`, RELEASE_ROLE, {
    pathParameters: { env: 'cgap-mastertest' },
  });

describe('GET /environments/{env}/releases errors, true to their cause', () => {
  it('a DynamoDB failure with no cursor given stays a server error, not "query.cursor is not a cursor"', async () => {
    const failure = Object.assign(new Error('Throughput exceeds the current capacity'), {
      name: 'ProvisionedThroughputExceededException',
    });
    await expect(list(failure)).rejects.toBe(failure);
  });

  it('a cursor the API did not issue is a 422 on query.cursor', async () => {
    const refused = await list(new InvalidCursorError('bogus'), '?cursor=bogus').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({
      statusCode: 422,
      details: [{ path: 'query.cursor', message: 'is not a cursor from a previous page' }],
    });
  });
});
