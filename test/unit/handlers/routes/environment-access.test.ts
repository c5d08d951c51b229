import { describe, expect, it } from 'vitest';
import { localTokensFrom, authenticate } from '../../../../src/handlers/http/authentication.js';
import type { ApiContext } from '../../../../src/handlers/http/request-context.js';
import { environmentFor } from '../../../../src/handlers/routes/environment-access.js';
import { httpEvent, bearer } from '../../../support/http-event.js';
import { lambdaContext } from '../../../support/lambda-context.js';
import { config } from '../../../support/release-fixtures.js';

const OPERATOR = 'arn:aws:iam::123456789012:role/local-operator';
const OUTSIDER = 'arn:aws:iam::123456789012:role/outsider';

/** A request context whose caller the bearer token identifies, as the api handler's middleware sets it. */
function contextFor(token: string): ApiContext {
  const tokens = localTokensFrom([
    { token: 'operator', principal: OPERATOR, unrestricted: true },
    { token: 'outsider', principal: OUTSIDER },
  ]);
  const context: ApiContext = lambdaContext();
  context.caller = authenticate(httpEvent('GET', '/environments', { headers: bearer(token) }), tokens);
  return context;
}

describe('environment access', () => {
  it('lets local mode’s operator token act past every allow-list, as the operator', () => {
    const context = contextFor('operator');
    expect(context.caller).toEqual({ principal: OPERATOR, via: 'token', unrestricted: true });
    // cgap-prod lets only the release role build and nobody on a role/local-operator scale.
    for (const action of ['read', 'build', 'deploy', 'scale'] as const)
      expect(environmentFor(config, 'cgap-prod', action, context).name).toBe('cgap-prod');
  });

  it('holds any other token to the allow-list: 403 naming the principal, 404 listing only what it may read', () => {
    const context = contextFor('outsider');
    expect(context.caller).toEqual({ principal: OUTSIDER, via: 'token' });
    expect(() => environmentFor(config, 'cgap-mastertest', 'scale', context)).toThrow(
      expect.objectContaining({ statusCode: 403, message: `${OUTSIDER} may not scale in environment cgap-mastertest` }),
    );
    expect(() => environmentFor(config, 'cgap-nowhere', 'read', context)).toThrow(
      expect.objectContaining({ statusCode: 404, details: [{ path: 'env', message: 'you may read no environment' }] }),
    );
  });
});
