import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TOKENS } from '../support/local-tokens.js';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/**
 * `ecs-conductor local …` against a running local mode, through the CLI's main() as a user runs it
 * with the banner's exports: push to COMPLETED, a switched deployment task and build failing the
 * release, one reconcile and autoscale pass, and the local token's rights next to a listed token's.
 */

/** A CONDUCTOR_API_TOKENS caller (the shared local mode's) whose principal is on no allow-list. */
const OUTSIDER = TOKENS.outsider;
const ENV = 'cgap-mastertest';
const SETTLED = ['COMPLETED', 'FAILED', 'ROLLED_BACK'];

interface ReleaseBody {
  id: string;
  state: string;
  version: string;
  failure?: { kind: string; reason: string };
  builds: Record<string, { status: string }>;
  rollout?: { tasks: Record<string, { state: string; exitCode?: number }> };
}

describe('ecs-conductor local verbs against local mode', () => {
  let local: LocalModeInUse;

  beforeAll(async () => {
    local = await sharedLocalMode({ taskStopSeconds: 2 });
  }, 60_000);

  /** The CLI as run in a shell where the banner's export lines were pasted. */
  async function cli(...args: string[]): Promise<{ code: number; output: string }> {
    let output = '';
    const env = {
      CONDUCTOR_API_URL: local.endpoints.httpApi,
      CONDUCTOR_API_TOKEN: local.token,
      CONDUCTOR_EMULATOR_URL: local.endpoints.emulator,
      CONDUCTOR_LAMBDA_URL: local.endpoints.lambda,
    };
    const code = await main(['node', 'ecs-conductor', ...args], (text) => (output += text), { env });
    return { code, output };
  }

  async function release(id: string): Promise<ReleaseBody> {
    const response = await fetch(`${local.endpoints.httpApi}/releases/${id}`, {
      headers: { authorization: `Bearer ${local.token}` },
    });
    return (await response.json()) as ReleaseBody;
  }

  async function until(id: string, done: (body: ReleaseBody) => boolean): Promise<ReleaseBody> {
    for (let attempt = 0; attempt < 90; attempt += 1) {
      const body = await release(id);
      if (done(body)) return body;
      await sleep(1000);
    }
    throw new Error(`release ${id} did not get there: ${JSON.stringify(await release(id))}`);
  }

  /** `local push ENV VERSION`; the release id it prints, and what it says follows. */
  async function push(version: string, next: string): Promise<string> {
    const pushed = await cli('local', 'push', ENV, version);
    expect(pushed.code, pushed.output).toBe(0);
    expect(pushed.output).toMatch(new RegExp(`repository  ${ENV}\\n  tag         ${version.replace(/\./g, '\\.')}\\n`));
    expect(pushed.output).toMatch(/digest {6}sha256:[0-9a-f]{64}/);
    expect(pushed.output).toContain(next);
    const id = /release (rel-[0-9a-f]{20}) /.exec(pushed.output)?.[1];
    expect(id, pushed.output).toBeDefined();
    return id ?? '';
  }

  it('pushes a git SHA that is built and deploys by itself to COMPLETED', async () => {
    const id = await push('c0ffee20', 'it deploys by itself once built (the version matches autoDeployPattern)');
    const done = await until(id, (body) => SETTLED.includes(body.state));
    expect(done).toMatchObject({ state: 'COMPLETED', version: 'c0ffee20' });
  }, 120_000);

  it('fails the release whose deployment task is switched to exit 3; the environment still runs the last one', async () => {
    const set = await cli('local', 'fail', 'task', 'c0ffee21', '--exit-code', '3');
    expect(set.code, set.output).toBe(0);
    // Its line once: the switch just set is not listed again below it.
    expect(set.output.match(/deployment tasks of c0ffee21 exit 3/g)).toHaveLength(1);
    const id = await push('c0ffee21', 'it deploys by itself');
    const failed = await until(id, (body) => SETTLED.includes(body.state));
    expect(failed.state).toBe('FAILED');
    expect(failed.failure).toMatchObject({
      kind: 'task',
      reason: expect.stringContaining('exited with code 3') as unknown,
    });
    expect(failed.rollout?.tasks.deployment).toMatchObject({ state: 'FAILED', exitCode: 3 });
    // Services first: every service rolled to c0ffee21 before its task failed. What runs is c0ffee21,
    // read from ECS, and rollback would return to c0ffee20, what ran before it.
    const status = await cli('status', ENV, '--json');
    expect(JSON.parse(status.output)).toMatchObject({
      running: { version: 'c0ffee21' },
      health: 'Degraded',
      rollbackTo: { version: 'c0ffee20' },
      nextStep: expect.stringContaining(`rollback ${ENV}`) as unknown,
    });
    // Rollback does exactly that: back to c0ffee20, never further.
    const back = await cli('rollback', ENV, '--json');
    expect(back.code, back.output).toBe(0);
    const rolling = JSON.parse(back.output) as { id: string; version: string };
    expect(rolling.version).toBe('c0ffee20');
    expect((await until(rolling.id, (body) => SETTLED.includes(body.state))).state).toBe('COMPLETED');
    const after = await cli('status', ENV, '--json');
    expect(JSON.parse(after.output)).toMatchObject({ running: { version: 'c0ffee20' }, health: 'Healthy' });
  }, 120_000);

  it('fails the release whose builds are switched to fail, every build ended', async () => {
    expect((await cli('local', 'fail', 'build', '2.2.0')).code).toBe(0);
    const listed = await cli('local', 'fail', 'list');
    expect(listed.output).toBe('builds of 2.2.0 fail\ndeployment tasks of c0ffee21 exit 3\n');
    const id = await push('2.2.0', 'deploy it once built: ecs-conductor deploy cgap-mastertest 2.2.0');
    const failed = await until(
      id,
      (body) => body.state === 'FAILED' && Object.values(body.builds).every((build) => build.status === 'FAILED'),
    );
    expect(failed.failure).toMatchObject({ kind: 'build' });
    const cleared = await cli('local', 'fail', 'clear', '--json');
    expect(JSON.parse(cleared.output)).toEqual({ switches: [] });
  }, 120_000);

  it('runs one reconcile and one autoscale invocation on demand and prints their replies', async () => {
    for (const fn of ['reconcile', 'autoscale']) {
      const run = await cli('local', fn);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(new RegExp(`^invoking ${fn} \\(waits until it returns\\)\\n${fn}[ \\n]`));
    }
    const pass = await cli('local', 'autoscale', '--json');
    const reply = JSON.parse(pass.output.slice(pass.output.indexOf('{'))) as { passes: unknown[] };
    expect(reply.passes).toEqual([
      expect.objectContaining({
        trigger: 'request',
        ran: true,
        decisions: expect.arrayContaining([
          expect.objectContaining({ environment: ENV, service: 'ingester' }),
        ]) as unknown,
      }),
    ]);
  }, 120_000);

  it('lets the printed token scale, while a CONDUCTOR_API_TOKENS caller off the list gets 403', async () => {
    const scaled = await cli('scale', ENV, 'ingester', '2', '--hold-minutes', '1');
    expect(scaled.code, scaled.output).toBe(0);
    const refused = await cli('scale', ENV, 'ingester', '2', '--token', OUTSIDER);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('error: 403 FORBIDDEN: arn:aws:iam::123456789012:role/outsider may not scale');
  }, 60_000);
});
