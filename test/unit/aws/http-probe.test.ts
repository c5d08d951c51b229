import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpProbe } from '../../../src/aws/http-probe.js';

describe('the smoke check’s HTTP probe', () => {
  const server = createServer((request, response) => {
    if (request.url === '/slow') return void setTimeout(() => response.end('late'), 3000);
    if (request.url === '/moved') return void response.writeHead(301, { location: '/health' }).end();
    response.writeHead(request.url === '/health' ? 200 : 503).end();
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const probe = createHttpProbe();

  it('reports the status answered, without following a redirect', async () => {
    expect(await probe.get(`${base}/health`, 2)).toEqual({ kind: 'answered', status: 200 });
    expect(await probe.get(`${base}/down`, 2)).toEqual({ kind: 'answered', status: 503 });
    expect(await probe.get(`${base}/moved`, 2)).toEqual({ kind: 'answered', status: 301 });
  });

  it('reports a listener that refuses or does not answer in time as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probe.get(`http://127.0.0.1:${String(port)}/health`, 2)).toEqual({
      kind: 'unreachable',
      error: 'ECONNREFUSED',
    });
    expect(await probe.get(`${base}/slow`, 1)).toEqual({ kind: 'unreachable', error: 'TimeoutError' });
  });
});
