import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** The workers cgap-portal's supervisord.conf (pinned, test/fixtures/cgap/portal) starts beside nginx. */
const PINNED_WORKERS = readFileSync(
  resolve(import.meta.dirname, '../../fixtures/cgap/portal/deploy/docker/production/supervisord.conf'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.startsWith('command=pserve '))
  .map((line) => line.slice('command='.length));

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
    await waitUntil(() => sandbox.journal().length === 6, 'five workers and nginx', wsgi);

    expect(sandbox.journal()).toEqual(
      expect.arrayContaining([...PINNED_WORKERS, `nginx -c ${join(DOCKER_DIR, 'nginx.conf')} -g daemon off;`]),
    );

    const exit = await terminate(wsgi);

    expect(exit).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(2000);
    // nginx gets SIGQUIT: it finishes the requests in flight before exiting.
    expect(sandbox.journal().filter((line) => line.endsWith('got TERM'))).toHaveLength(5);
    expect(sandbox.journal()).toContain('nginx got QUIT');
  });

  it("starts cgap-portal's workers as its supervisord.conf does: pserve with each http_port", () => {
    expect(PINNED_WORKERS).toEqual(
      [6543, 6544, 6545, 6546, 6547].map((port) => `pserve production.ini http_port=${String(port)}`),
    );
  });

  it('runs one app server as written when APP_SERVER_PORTS is empty', { timeout: 10_000 }, async () => {
    const wsgi = sandbox.start('entrypoint_wsgi.sh', { APP_SERVER_PORTS: '', APP_SERVER_COMMAND: 'pserve app.ini' });
    await waitUntil(() => sandbox.journal().length === 2, 'the app server and nginx', wsgi);
    expect(sandbox.journal()).toContain('pserve app.ini');
    await terminate(wsgi);
  });

  it('stops every worker and nginx when one worker dies', { timeout: 10_000 }, async () => {
    sandbox.stub(
      'pserve',
      [
        // The third worker crashes once nginx and the four others are up (each has its TERM trap set
        // before it writes its line), so every one of them has a TERM to answer.
        'if [ "$2" = http_port=6545 ]; then',
        '  until grep -q ^nginx "$SANDBOX/journal.log" && [ "$(grep -c "^pserve production.ini" "$SANDBOX/journal.log")" -ge 4 ]; do sleep 0.05; done',
        '  exit 4',
        'fi',
        server('pserve'),
      ].join('\n'),
    );
    const wsgi = sandbox.start('entrypoint_wsgi.sh');

    expect(await wsgi.exited).toMatchObject({ code: 4 });
    expect(sandbox.journal().filter((line) => line === 'pserve got TERM')).toHaveLength(4);
    expect(sandbox.journal()).toContain('nginx got QUIT');
  });

  /** Starts the wsgi entrypoint in a fresh sandbox whose session-secret.b64 is `before` (absent if undefined). */
  async function startedWithSecret(
    before: string | undefined,
  ): Promise<{ secret: string; mode: number; output: string }> {
    const own = new Sandbox();
    try {
      own.stub('nginx', server('nginx'));
      own.stub('pserve', server('pserve'));
      const path = join(own.dir, 'session-secret.b64');
      if (before !== undefined) writeFileSync(path, before);
      const wsgi = own.start('entrypoint_wsgi.sh');
      await waitUntil(() => own.journal().length === 6, 'five workers and nginx', wsgi);
      await terminate(wsgi);
      return { secret: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777, output: wsgi.output() };
    } finally {
      await own.dispose();
    }
  }

  it('writes a session secret when the file is absent or empty, never printing it', { timeout: 20_000 }, async () => {
    for (const before of [undefined, '']) {
      const { secret, mode, output } = await startedWithSecret(before);
      expect(Buffer.from(secret.replaceAll('\n', ''), 'base64')).toHaveLength(256);
      expect(mode).toBe(0o600);
      expect(output).toMatch(/generated a session secret in session-secret.b64/);
      for (const line of secret.split('\n').filter((part) => part !== '')) expect(output).not.toContain(line);
    }
  });

  it('keeps a session secret that is set', { timeout: 10_000 }, async () => {
    const { secret, output } = await startedWithSecret('kept\n');
    expect(secret).toBe('kept\n');
    expect(output).not.toMatch(/generated a session secret/);
  });

  it('exits non-zero and stops nginx when the app server dies', { timeout: 10_000 }, async () => {
    // Crashes once nginx is up (and so has its signal traps in place).
    sandbox.stub('crashing-app', 'until grep -q ^nginx "$SANDBOX/journal.log"; do sleep 0.05; done; exit 3');
    const wsgi = sandbox.start('entrypoint_wsgi.sh', { APP_SERVER_COMMAND: 'crashing-app', APP_SERVER_PORTS: '' });

    const exit = await wsgi.exited;

    expect(exit).toMatchObject({ code: 3 });
    expect(sandbox.journal()).toContain('nginx got QUIT');
    expect(wsgi.output()).toMatch(/an application server exited with status 3; stopping the others and nginx/);
  });

  it('exits non-zero even when a server exits with status 0 by itself', { timeout: 10_000 }, async () => {
    // An nginx that exits 0 once the app server is up (and so has its SIGTERM trap in place).
    const wsgi = sandbox.start('entrypoint_wsgi.sh', {
      NGINX_COMMAND: 'until grep -q ^pserve "$SANDBOX/journal.log"; do sleep 0.05; done',
    });

    expect(await wsgi.exited).toMatchObject({ code: 1 });
    await waitUntil(() => sandbox.journal().includes('pserve got TERM'), 'the app servers to be stopped', wsgi);
  });
});
