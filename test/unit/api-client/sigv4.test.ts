import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { regionOf, sigV4Headers } from '../../../src/api-client/sigv4.js';
import { startFakeApi, type FakeApi } from '../../support/fake-api.js';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/(\d{8})\/([a-z0-9-]+)\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
  vi.unstubAllEnvs();
});

/** Dummy credentials in the standard variables, where the provider chain looks first. */
function stubCredentials(): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', CREDENTIALS.sessionToken);
  vi.stubEnv('AWS_PROFILE', undefined);
}

describe('SigV4 signing', () => {
  it('signs for execute-api with the caller’s standard credentials, verifiably', async () => {
    stubCredentials();
    api = await startFakeApi({
      'POST /environments/cgap-mastertest/rollback': { status: 202, body: { accepted: true } },
    });
    let output = '';
    const code = await main(
      [
        'node',
        'ecs-conductor',
        '--api',
        api.url,
        '--auth',
        'sigv4',
        '--region',
        'eu-west-1',
        'rollback',
        'cgap-mastertest',
      ],
      (text) => (output += text),
      { env: {} },
    );
    expect(output).toBe('accepted: true\n');
    expect(code).toBe(0);
    const [request] = api.requests;
    if (!request) throw new Error('no request reached the API');
    const authorization = String(request.headers.authorization);
    const match = AUTHORIZATION.exec(authorization);
    expect(match?.[2]).toBe('eu-west-1');
    expect(match?.[3]?.split(';')).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token', 'content-type']),
    );
    expect(request.headers['x-amz-security-token']).toBe('session-token');

    // What API Gateway does: sign the received request again with the same key and date, and compare.
    const signedNames = (match?.[3] ?? '').split(';').filter((name) => name !== 'host');
    const received = Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name])]));
    const amzDate = String(request.headers['x-amz-date']);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const again = await sigV4Headers(
      { method: request.method, url: new URL(request.url, api.url), headers: received, body: request.body },
      { region: 'eu-west-1', credentials: CREDENTIALS, signingDate },
    );
    expect(again.authorization).toBe(authorization);
  });

  it('signs an https API by itself when there is no token, with the region its host names', async () => {
    stubCredentials();
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const fakeFetch: typeof fetch = (input, init) => {
      seen.push({
        url: input instanceof URL ? input.href : typeof input === 'string' ? input : input.url,
        headers: init?.headers as Record<string, string>,
      });
      return Promise.resolve(
        new Response(JSON.stringify({ environments: [] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      );
    };
    const url = 'https://abc123.execute-api.ap-southeast-2.amazonaws.com';
    const code = await main(['node', 'ecs-conductor', '--api', url, 'status'], () => undefined, {
      env: {},
      fetch: fakeFetch,
    });
    expect(code).toBe(0);
    expect(seen[0]?.url).toBe(`${url}/environments`);
    expect(AUTHORIZATION.exec(seen[0]?.headers.authorization ?? '')?.[2]).toBe('ap-southeast-2');

    // A token, when there is one, is used instead: local APIs and tests.
    await main(['node', 'ecs-conductor', '--api', url, '--token', 'tok', 'status'], () => undefined, {
      env: {},
      fetch: fakeFetch,
    });
    expect(seen[1]?.headers.authorization).toBe('Bearer tok');
  });

  it('sends no credentials to a plain-http API without a token (the API then answers 401)', async () => {
    api = await startFakeApi({
      'GET /environments': {
        status: 401,
        body: { error: { code: 'UNAUTHENTICATED', message: 'missing or invalid credentials' } },
      },
    });
    let output = '';
    const code = await main(['node', 'ecs-conductor', '--api', api.url, 'status'], (text) => (output += text), {
      env: {},
    });
    expect(code).toBe(1);
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
    expect(output).toContain('error: 401 UNAUTHENTICATED: missing or invalid credentials');
  });

  it.each([
    ['https://abc123.execute-api.eu-central-1.amazonaws.com', undefined, 'eu-central-1'],
    ['https://conductor.example.org', 'us-west-2', 'us-west-2'],
    ['https://conductor.example.org', undefined, 'us-east-1'],
  ])('takes the region of %s (fallback %s) as %s', (url, fallback, region) => {
    expect(regionOf(new URL(url), fallback)).toBe(region);
  });
});
