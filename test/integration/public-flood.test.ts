import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/local-api.js';
import { pushToLocalMode } from '../support/local-push.js';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/**
 * Hole 2 of issue 24: a flood of the public routes beside a signed deploy, over real HTTP in local
 * mode. serverless-offline models no reserved concurrency: it starts a worker for every concurrent
 * call, so here a flood costs the machine's CPU rather than the api function's executions (200 calls
 * at once held a deploy back 47 s on a loaded 2-core machine, and every one of them was answered).
 * This shows the two side by side, with a flood five times the public function's five executions,
 * and the deploy answered within its bound; whether AWS would starve the deploy is what
 * test/integration/packaging.test.ts plays against the packaged template's reserved executions, and
 * that test fails without the split.
 */
const FLOOD = 25;
const DEPLOY_BOUND_MS = 30_000;

describe('a flood of public calls beside a deploy (local mode)', () => {
  let local: LocalModeInUse;
  let version: string;

  beforeAll(async () => {
    local = await sharedLocalMode({ taskStopSeconds: 2 });
    version = `7.0.${String(Date.now() % 1000)}`;
    const releaseId = await pushToLocalMode(local.endpoints, version);
    // Up to 100 s: on a loaded CI lane the previous file's schemathesis calls may still hold local
    // mode's Lambda workers when this one starts (a fresh-clone run once took over 60 s here).
    let last: unknown;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const release = await call(local.endpoints.httpApi, 'GET', `/releases/${releaseId}`, { token: local.token });
      last = release.json;
      if ((release.json as { state?: string }).state === 'BUILT') return;
      await sleep(1000);
    }
    throw new Error(`release ${releaseId} was not built in 100 s: ${JSON.stringify(last)}`);
  }, 150_000);

  it(`answers a signed deploy with 202 within ${String(DEPLOY_BOUND_MS / 1000)} s while ${String(FLOOD)} unsigned calls arrive at once`, async () => {
    const api = local.endpoints.httpApi;
    const flood = Array.from({ length: FLOOD }, (_, index) =>
      fetch(`${api}${index % 2 === 0 ? '/health' : '/openapi.json'}`).then((response) => response.status),
    );
    const started = Date.now();
    const deploy = call(api, 'POST', '/environments/cgap-mastertest/deployments', {
      token: local.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version }),
    }).then((reply) => ({ reply, ms: Date.now() - started }));

    const [statuses, deployed] = await Promise.all([Promise.all(flood), deploy]);

    expect(deployed.reply.status, deployed.reply.text).toBe(202);
    expect(deployed.ms).toBeLessThan(DEPLOY_BOUND_MS);
    expect(new Set(statuses)).toEqual(new Set([200]));
  }, 120_000);
});
