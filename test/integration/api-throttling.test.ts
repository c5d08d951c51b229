import { createServer, request as forward, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/emulator.js';
import { startLocalMode, type LocalMode } from '../../scripts/local.js';

/**
 * 503 over real HTTP: local mode whose Lambdas reach the emulator through a proxy that throttles
 * every ECR DescribeImages call, as AWS does when a rate limit is hit.
 */
describe('AWS throttling, as the API reports it', () => {
  let local: LocalMode;
  let proxy: Server;
  let throttled = 0;

  beforeAll(async () => {
    const proxyPort = await freePort();
    let upstream = new URL('http://127.0.0.1');
    proxy = createServer((incoming, outgoing) => {
      if (String(incoming.headers['x-amz-target']).endsWith('.DescribeImages')) {
        throttled += 1;
        incoming.resume();
        outgoing.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        outgoing.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        return;
      }
      const upstreamRequest = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstreamRequest.on('error', () => outgoing.destroy());
      incoming.pipe(upstreamRequest);
    });
    await new Promise<void>((resolveListen) => proxy.listen(proxyPort, '127.0.0.1', resolveListen));
    local = await startLocalMode({
      emulatorPort: await freePort(),
      httpPort: await freePort(),
      lambdaPort: await freePort(),
      token: 'throttle-test-token',
      serverlessOutput: 'ignore',
      ownBuildDir: true,
      log: () => undefined,
      awsEndpointFor: (emulator) => {
        upstream = new URL(emulator);
        return `http://127.0.0.1:${String(proxyPort)}`;
      },
    });
  }, 240_000);

  afterAll(async () => {
    await local.stop();
    await new Promise((resolveClose) => proxy.close(resolveClose));
  }, 60_000);

  it('answers 503 with Retry-After and the error shape, after the SDK gave up retrying', async () => {
    // A build request looks the version's image up in ECR first.
    const response = await fetch(`${local.endpoints.httpApi}/environments/cgap-mastertest/builds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: '1.4.0' }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toEqual({
      error: { code: 'THROTTLED', message: 'AWS is throttling the conductor; retry shortly' },
    });
    // The SDK's adaptive retries tried more than once before the API answered.
    expect(throttled).toBeGreaterThan(1);
  }, 60_000);
});
