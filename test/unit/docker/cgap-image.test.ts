import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../scripts/lib/venv.js';
import { CgapTask, SECRET } from './image/cgap-task.js';
import type { RunningContainer } from './image/container.js';
import { skipReason } from './image/requirements.js';
import { waitUntil } from './sandbox.js';

/**
 * The docker/ recipe on a CGAP-shaped app image (Debian, python3 with boto3, nginx, no AWS CLI, user
 * nginx, root-owned code, production.ini owned by nginx and written by the app's own configuration
 * step), built with conductor.yml's settings and run as ECS runs a task. See image/cgap-task.ts.
 */
const SKIP = skipReason(['buildah', 'debootstrap', 'unshare', 'nsenter', 'ip', 'chroot', 'make', 'tar']);
const PRODUCTION_INI = 'home/nginx/cgap-portal/production.ini';
const PROTECT = { ProtectionEnabled: true, ExpiresInMinutes: 360 };
const RELEASE = { ProtectionEnabled: false };

/** Sends SIGTERM to the container's PID 1, as ECS does, and resolves with the exit. */
async function stop(container: RunningContainer) {
  container.signal('SIGTERM');
  return container.exited;
}

/** Polls `url` until it answers 200; its JSON body. */
async function healthy(url: string, container: RunningContainer, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (response?.status === 200) return response.json();
    if (Date.now() > deadline || container.child.exitCode !== null) {
      throw new Error(`${url} did not answer 200 (last: ${String(response?.status)})\n${container.output()}`);
    }
    await new Promise((later) => setTimeout(later, 250));
  }
}

describe.skipIf(SKIP !== '')(`CGAP's image with the docker/ recipe${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let task: CgapTask;
  beforeAll(async () => {
    task = await CgapTask.prepare();
  }, 600_000);
  afterEach(async () => {
    await task.removeContainers();
  });
  afterAll(async () => {
    await task.dispose();
  }, 60_000);

  it('builds the four images as the config says: user nginx, configured by assume_identity', () => {
    expect(Object.keys(task.images)).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    for (const image of Object.values(task.images)) {
      const config = task.buildah.run('inspect', '--format', '{{.OCIv1.Config.User}} {{.OCIv1.Config.Env}}', image);
      expect(config).toMatch(/^nginx \[.*CONFIGURE_COMMAND=python -m assume_identity[\] ]/);
    }
  });

  it('wsgi: answers /health through nginx on 8000 with the ini its own step wrote, and stops on SIGTERM', {
    timeout: 90_000,
  }, async () => {
    const wsgi = task.start('wsgi');

    const health = await healthy(`http://${task.network.taskIp}:8000/health?format=json`, wsgi, 60_000);

    expect(health).toEqual({ status: 'ok', env: 'cgap-mastertest', app_version: '8.3.0' });
    expect(wsgi.output()).toMatch(/configuring with the app's own step: python -m assume_identity/);
    expect(wsgi.output()).not.toMatch(/emerg|Permission denied/);
    expect(await stop(wsgi)).toMatchObject({ code: 0 });
  });

  it("deployment: runs CGAP's actions and exits with the failing one's status", { timeout: 60_000 }, async () => {
    const deployment = task.start('deployment', { STUB_FAIL: 'load-data-by-type:3' });

    expect(await deployment.exited).toMatchObject({ code: 3 });
    expect(deployment.output()).toMatch(
      /create-mapping-on-deploy: done for cgap-mastertest[\s\S]*load-data-by-type: done/,
    );
    expect(deployment.output()).toMatch(/action 2\/4 failed with status 3/);
    expect(deployment.output()).not.toMatch(/load-access-keys: done/);
    // production.ini: written by assume_identity, still owned by nginx, with the derived settings.
    const ini = join(deployment.root, PRODUCTION_INI);
    expect(statSync(ini)).toMatchObject({ uid: 101, gid: 101 });
    const rendered = readFileSync(ini, 'utf8');
    expect(rendered).toMatch(/^elasticsearch\.server = es\.cgap-mastertest\.internal:443$/m);
    expect(rendered).toMatch(/^env\.name = cgap-mastertest$/m);
    expect(rendered).toMatch(/^eb_app_version = 8\.3\.0$/m);
    expect(rendered).toMatch(/^port = %\(http_port\)s$/m);
  });

  it('indexer: keeps indexing after failed runs (no Elasticsearch) until SIGTERM', { timeout: 60_000 }, async () => {
    const indexer = task.start('indexer', { INDEXER_INTERVAL_SECONDS: '0.2' });

    await waitUntil(
      () => indexer.output().includes('indexing run 3 failed with status 1'),
      'three failed runs',
      indexer,
      45_000,
    );

    expect(indexer.output()).toMatch(/es-index-data: no Elasticsearch at es\.cgap-mastertest\.internal:443/);
    expect(indexer.child.exitCode).toBeNull();
    expect(await stop(indexer)).toMatchObject({ code: 0 });
  });

  it.each([
    ['boto3 (Debian 12: 1.26)', 'auto'],
    ["the recipe's standard-library client", 'stdlib'],
  ])(
    'ingester through %s: protects itself around a message, deletes it, releases',
    { timeout: 90_000 },
    async (_, client) => {
      const agent = await task.sandbox.fakeAgent(undefined, task.network.hostIp);
      const messageId = await task.aws.send(task.queueUrl, '{"uuid":"a1"}');
      const ingester = task.start('ingester', {
        CONDUCTOR_AWS_CLIENT: client,
        ECS_AGENT_URI: agent.uri,
        INGESTION_QUEUE_NAME: 'cgap-mastertest-ingestion-queue',
        INGESTION_PROCESS_COMMAND: 'poetry run ingest-one production.ini',
        INGESTION_POLL_WAIT_SECONDS: '1',
      });

      await waitUntil(() => agent.requests.length === 2, 'protection on and off', ingester, 60_000);

      expect(agent.requests.map((request) => [request.method, request.path, request.body])).toEqual([
        ['PUT', '/api/test-task/task-protection/v1/state', PROTECT],
        ['PUT', '/api/test-task/task-protection/v1/state', RELEASE],
      ]);
      expect(ingester.output()).toContain(`ingest-one: ${messageId} {"uuid":"a1"}`);
      expect(await task.aws.backlog(task.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
      expect(await stop(ingester)).toMatchObject({ code: 0 });
    },
  );

  it("the recipe's renderer names every setting only the app's own step can fill, in one error", {
    timeout: 60_000,
  }, async () => {
    const deployment = task.start('deployment', {
      CONFIGURE_COMMAND: '',
      APP_CONFIG_TEMPLATE: 'deploy/ini_files/cgap_any_alpha.ini',
      APP_CONFIG_FILE: 'production.ini',
    });

    expect(await deployment.exited).toMatchObject({ code: 1 });
    // cgap-portal's own template (pinned): every setting neither the secret nor the task gives, at once.
    const template = readFileSync(
      join(PROJECT_ROOT, 'test/fixtures/cgap/portal/deploy/docker/production/cgap_any_alpha.ini'),
      'utf8',
    );
    const given = new Set([...Object.keys(SECRET), 'IDENTITY']);
    const unset = [...new Set([...template.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1] ?? ''))]
      .filter((name) => !given.has(name))
      .sort();
    expect(unset).toEqual(expect.arrayContaining(['APP_VERSION', 'AUTH0_CLIENT', 'BS_ENV', 'ES_SERVER', 'INDEXER']));
    expect(deployment.output().match(/refers to settings that are not set: [^(]*/g)).toEqual([
      `refers to settings that are not set: ${unset.join(', ')} `,
    ]);
    expect(deployment.output()).not.toMatch(/create-mapping-on-deploy/);
  });
});
