import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCKER_DIR, Sandbox, terminate, waitUntil } from './sandbox.js';

/** A long-running server stub that journals its arguments and the signal that stops it. */
const server = (name: string): string =>
  [
    `trap 'journal "${name} got TERM"; exit 0' TERM`,
    `trap 'journal "${name} got QUIT"; exit 0' QUIT`,
    `journal "${name} $*"`,
    'for _ in $(seq 100); do sleep 0.1; done',
  ].join('\n');

describe('entrypoint_wsgi.sh', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox();
    sandbox.stub('nginx', server('nginx'));
    sandbox.stub('pserve', server('pserve'));
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('starts the app server and nginx with the shipped config, and stops both promptly on SIGTERM', {
    timeout: 10_000,
  }, async () => {
    const wsgi = sandbox.start('entrypoint_wsgi.sh');
    await waitUntil(() => sandbox.journal().length === 2, 'both servers', wsgi);

    expect(sandbox.journal()).toEqual(
      expect.arrayContaining(['pserve production.ini', `nginx -c ${join(DOCKER_DIR, 'nginx.conf')} -g daemon off;`]),
    );

    const exit = await terminate(wsgi);

    expect(exit).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(2000);
    // nginx gets SIGQUIT: it finishes the requests in flight before exiting.
    expect(sandbox.journal()).toEqual(expect.arrayContaining(['nginx got QUIT', 'pserve got TERM']));
  });

  it('exits non-zero and stops nginx when the app server dies', { timeout: 10_000 }, async () => {
    // Crashes once nginx is up (and so has its signal traps in place).
    sandbox.stub('crashing-app', 'until grep -q ^nginx "$SANDBOX/journal.log"; do sleep 0.05; done; exit 3');
    const wsgi = sandbox.start('entrypoint_wsgi.sh', { APP_SERVER_COMMAND: 'crashing-app' });

    const exit = await wsgi.exited;

    expect(exit).toMatchObject({ code: 3 });
    expect(sandbox.journal()).toContain('nginx got QUIT');
    expect(wsgi.output()).toMatch(/the application server exited with status 3; stopping nginx/);
  });

  it('exits non-zero even when a server exits with status 0 by itself', { timeout: 10_000 }, async () => {
    // An nginx that exits 0 once the app server is up (and so has its SIGTERM trap in place).
    const wsgi = sandbox.start('entrypoint_wsgi.sh', {
      NGINX_COMMAND: 'until grep -q ^pserve "$SANDBOX/journal.log"; do sleep 0.05; done',
    });

    expect(await wsgi.exited).toMatchObject({ code: 1 });
    await waitUntil(() => sandbox.journal().includes('pserve got TERM'), 'the app server to be stopped', wsgi);
  });
});
