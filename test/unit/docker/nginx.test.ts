import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/emulator.js';
import { DOCKER_DIR, waitUntil } from './sandbox.js';

/**
 * docker/nginx.conf run by Debian's nginx in front of five stand-in workers, checked for what
 * cgap-portal's nginx.conf does: the upstreams (502 falls through to the next), the security headers,
 * the HTTPS redirect of cgap*.hms.harvard.edu, the 16 MB body limit, duplicate slashes. Ports and
 * /tmp paths are moved into a scratch copy so that runs do not collide.
 */

const NGINX = '/usr/sbin/nginx';
const skip = process.env.CI || existsSync(NGINX) ? '' : 'nginx not installed (.ci/run installs it)';
const WORKER_PORTS = [6543, 6544, 6545, 6546, 6547];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe.skipIf(skip !== '')(`docker/nginx.conf${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-nginx-'));
  // Run as root, nginx's workers are `nobody`: they must reach the temp directories it makes here.
  chmodSync(dir, 0o755);
  const workers: Server[] = [];
  /** Workers that answer 502, as one killed for memory would through nginx. */
  const failing = new Set<number>();
  let nginx: ChildProcess;
  let port = 0;

  const send = (path: string, headers: Record<string, string> = {}, body?: Buffer) =>
    new Promise<Reply>((resolveReply, reject) => {
      const call = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          resolveReply({ status: response.statusCode ?? 0, headers: response.headers, body: text });
        });
      });
      call.on('error', reject);
      call.end(body);
    });

  beforeAll(async () => {
    let conf = readFileSync(join(DOCKER_DIR, 'nginx.conf'), 'utf8').replaceAll('/tmp/', `${dir}/`);
    port = await freePort();
    conf = conf.replace('listen 8000;', `listen 127.0.0.1:${String(port)};`);
    for (const [index, workerPort] of WORKER_PORTS.entries()) {
      const own = await freePort();
      conf = conf.replace(`127.0.0.1:${String(workerPort)} `, `127.0.0.1:${String(own)} `);
      const worker = createServer((incoming, response) => {
        incoming.resume();
        incoming.on('end', () => {
          response.writeHead(failing.has(index) ? 502 : 200, { 'content-type': 'text/plain' });
          response.end(`worker ${String(index)} ${incoming.url ?? ''} ${String(incoming.headers.host)}`);
        });
      });
      await new Promise<void>((listening) => worker.listen(own, '127.0.0.1', listening));
      workers.push(worker);
    }
    const path = join(dir, 'nginx.conf');
    writeFileSync(path, conf);
    const check = spawnSync(NGINX, ['-t', '-c', path], { encoding: 'utf8' });
    expect(check.stderr).toMatch(/syntax is ok/);
    nginx = spawn(NGINX, ['-c', path, '-g', 'daemon off;'], { stdio: 'ignore' });
    await waitUntil(
      () => spawnSync('sh', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${String(port)}`], { shell: '/bin/bash' }).status === 0,
      'nginx to listen',
    );
  });

  afterAll(async () => {
    nginx.kill('SIGQUIT');
    await Promise.all(workers.map((worker) => new Promise((closed) => worker.close(closed))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes requests to the workers with the host, adding the security headers', async () => {
    const reply = await send('/search/?type=Case', { host: 'cgap-test.example.org' });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/^worker \d \/search\/\?type=Case cgap-test\.example\.org$/);
    expect(reply.headers).toMatchObject({
      'x-xss-protection': '1; mode=block',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer-when-downgrade',
      'permissions-policy': 'interest-cohort=()',
    });
  });

  it('tries the next worker when one answers 502, and uses the backup only when the others fail', async () => {
    failing.add(0);
    failing.add(1);
    failing.add(2);
    try {
      const replies = await Promise.all([1, 2, 3, 4].map(() => send('/')));
      expect(replies.map((reply) => [reply.status, reply.body.split(' ')[1]])).toEqual(
        [1, 2, 3, 4].map(() => [200, '3']),
      );
      failing.add(3);
      const backup = await send('/');
      expect([backup.status, backup.body.split(' ')[1]]).toEqual([200, '4']);
    } finally {
      failing.clear();
    }
  });

  it('redirects cgap*.hms.harvard.edu to HTTPS unless the load balancer says it was HTTPS', async () => {
    const host = 'cgap-msa.hms.harvard.edu';
    const plain = await send('/cases/?a=1', { host });
    expect([plain.status, plain.headers.location]).toEqual([301, `https://${host}/cases/?a=1`]);
    expect((await send('/cases/', { host, 'x-forwarded-proto': 'https' })).status).toBe(200);
    // The target group's health check comes over plain HTTP and must reach the app.
    expect((await send('/health?format=json', { host })).status).toBe(200);
  });

  it('normalises duplicate slashes with a redirect', async () => {
    const reply = await send('//cases//x', { host: 'localhost' });
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('https://localhost/cases/x');
  });

  it('takes request bodies up to 16 MB, refusing larger ones', async () => {
    expect((await send('/submit', {}, Buffer.alloc(15 * 1024 * 1024))).status).toBe(200);
    expect((await send('/submit', {}, Buffer.alloc(17 * 1024 * 1024))).status).toBe(413);
  });
});
