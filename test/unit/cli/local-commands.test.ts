import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

const EMULATOR = 'http://127.0.0.1:5999';
const LAMBDA = 'http://127.0.0.1:3999';

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake local mode: moto's config route answers, and the invoke endpoint replies as told. */
function fakeLocalMode(reply: { text: string; headers?: Record<string, string> }, emulatorUp = true, lambdaUp = true) {
  const seen: Seen[] = [];
  const fetcher = (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input.toString();
    seen.push({
      url,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    if (url === `${EMULATOR}/moto-api/config`) {
      return emulatorUp ? Promise.resolve(new Response('{}')) : Promise.reject(new TypeError('fetch failed'));
    }
    if (url.startsWith(LAMBDA) && !lambdaUp) return Promise.reject(new TypeError('fetch failed'));
    if (url.startsWith(`${LAMBDA}/2015-03-31/functions/`))
      return Promise.resolve(new Response(reply.text, { headers: reply.headers ?? {} }));
    return Promise.resolve(new Response('not found', { status: 404 }));
  };
  return { seen, fetch: fetcher };
}

async function cli(args: string[], local = fakeLocalMode({ text: '' }), env: NodeJS.ProcessEnv = {}) {
  let output = '';
  const code = await main(['node', 'ecs-conductor', 'local', ...args], (text) => (output += text), {
    env: { CONDUCTOR_EMULATOR_URL: EMULATOR, CONDUCTOR_LAMBDA_URL: LAMBDA, ...env },
    fetch: local.fetch,
  });
  return { code, output, seen: local.seen };
}

describe('ecs-conductor local', () => {
  it('invokes reconcile once with a Scheduled Event and prints its reply as nested fields (YAML), or raw with --json', async () => {
    const local = fakeLocalMode({ text: JSON.stringify({ environments: 2, advanced: ['rel-1'] }) });
    const run = await cli(['reconcile'], local);
    expect(run.code).toBe(0);
    expect(run.output).toBe(
      'invoking reconcile (waits until it returns)\nreconcile\n  environments: 2\n  advanced:\n    - rel-1\n',
    );
    const invocation = run.seen.find((request) => request.url.includes('/functions/'));
    expect(invocation).toMatchObject({
      url: `${LAMBDA}/2015-03-31/functions/ecs-conductor-local-reconcile/invocations`,
      headers: { 'x-amz-invocation-type': 'RequestResponse' },
      body: { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} },
    });
    const json = await cli(['autoscale', '--json'], fakeLocalMode({ text: '{"action":"none"}' }));
    expect(json.output).toBe('invoking autoscale (waits until it returns)\n{\n  "action": "none"\n}\n');
    // One pass now, beside the tick chain: not the schedule, which a live chain answers with nothing.
    expect(json.seen.find((request) => request.url.includes('/functions/'))).toMatchObject({
      url: `${LAMBDA}/2015-03-31/functions/ecs-conductor-local-autoscale/invocations`,
      body: { autoscale: 'pass now' },
    });
  });

  it('says so when the function returned nothing, and exits 1 with its message when it threw', async () => {
    expect((await cli(['autoscale'])).output).toContain('autoscale done (it returned nothing)\n');
    const failed = await cli(
      ['reconcile'],
      fakeLocalMode({ text: '{"errorMessage":"table missing"}', headers: { 'x-amz-function-error': 'Unhandled' } }),
    );
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('error: ecs-conductor-local-reconcile failed: table missing\n');
  });

  it.each([
    [['push', 'cgap-mastertest', '1.4.0', '--emulator-url', 'https://ecr.us-east-1.amazonaws.com'], '--emulator-url'],
    [['reconcile', '--lambda-url', 'http://10.0.0.7:3002'], '--lambda-url'],
  ])('refuses %j in one line before calling anything: not on this machine', async (args, flag) => {
    const run = await cli(args);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      new RegExp(
        `^error: ${flag} \\S+ is not on this machine: local verbs talk only to local mode \\(npm start\\) on 127\\.0\\.0\\.1, never to AWS\\n$`,
      ),
    );
    expect(run.seen).toEqual([]);
  });

  it('refuses in one line when no emulator answers, saying how to start one', async () => {
    const run = await cli(['fail', 'build', '1.4.0'], fakeLocalMode({ text: '' }, false));
    expect(run.code).toBe(1);
    expect(run.output).toBe(
      `error: no AWS emulator answers on ${EMULATOR}: start local mode with \`npm start\`, or point --emulator-url / CONDUCTOR_EMULATOR_URL at it\n`,
    );
  });

  it('refuses a push in one line, before it puts an image anywhere, when the invoke endpoint does not answer', async () => {
    const run = await cli(['push', 'cgap-mastertest', '1.4.0'], fakeLocalMode({ text: '' }, true, false));
    expect(run.code).toBe(1);
    expect(run.output).toBe(
      `error: no Lambda invoke endpoint answers on ${LAMBDA}: start local mode with \`npm start\`, or point --lambda-url / CONDUCTOR_LAMBDA_URL at it\n`,
    );
    // Only the two checks ran: the refusal came before the config was read or an image pushed.
    expect(run.seen.map((request) => request.url)).toEqual([`${EMULATOR}/moto-api/config`, `${LAMBDA}/`]);
  });

  it('refuses an exit code that would be a success', async () => {
    const run = await cli(['fail', 'task', '1.4.0', '--exit-code', '0']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      "option '--exit-code <n>' argument '0' is invalid. must be a whole number from 1 to 255",
    );
  });

  it('names the known environments when the config has no such one', async () => {
    const run = await cli(['push', 'cgap-nowhere', '1.4.0']);
    expect(run.code).toBe(1);
    expect(run.output).toBe(
      'error: conductor.yml has no environment "cgap-nowhere" (known: cgap-mastertest, cgap-prod); pass --config FILE for another config\n',
    );
  });

  it('reads the config CONDUCTOR_CONFIG names, as `CONDUCTOR_CONFIG=FILE npm start` does, unless --config says otherwise', async () => {
    const example = 'examples/release-gates/conductor.yml';
    const fromEnv = await cli(['push', 'cgap-nowhere', '1.4.0'], undefined, { CONDUCTOR_CONFIG: example });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.output).toBe(
      `error: ${example} has no environment "cgap-nowhere" (known: staging, production, production-pause); pass --config FILE for another config\n`,
    );
    const flag = await cli(['push', 'cgap-nowhere', '1.4.0', '--config', 'conductor.yml'], undefined, {
      CONDUCTOR_CONFIG: example,
    });
    expect(flag.output).toBe(
      'error: conductor.yml has no environment "cgap-nowhere" (known: cgap-mastertest, cgap-prod); pass --config FILE for another config\n',
    );
  });

  it('says a YAML syntax error of the config first, at its line and column', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'local-')), 'broken.yml');
    writeFileSync(file, 'environments:\n  cgap-prod: {cluster: ""\n');
    const run = await cli(['push', 'cgap-prod', '1.4.0', '--config', file]);
    expect(run.code).toBe(1);
    expect(run.output).toBe(
      `error: ${file}:3:1 (yaml): Flow map in block collection must be sufficiently indented and end with a }\nfix the YAML of ${file} first\n`,
    );
  });
});
