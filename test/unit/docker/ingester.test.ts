import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueue, fakeAws } from './aws-fake.js';
import { Sandbox, terminate, waitUntil, type FakeAgent } from './sandbox.js';

const PROTECT = '{"ProtectionEnabled":true,"ExpiresInMinutes":360}';
const RELEASE = '{"ProtectionEnabled":false}';

/**
 * The application's one-message command: journals the message, works for INGEST_SECONDS (default
 * 0.3), then exits with INGEST_STATUS. It does not handle SIGTERM itself, like most batch code.
 */
const INGEST = [
  'trap \'journal "ingest stopped $INGESTION_MESSAGE_ID"; exit 143\' TERM',
  'journal "ingest start $INGESTION_MESSAGE_ID $(cat "$INGESTION_MESSAGE_FILE")"',
  'ticks=$(awk "BEGIN { print int(${INGEST_SECONDS:-0.3} * 20) }")',
  'for _ in $(seq "$ticks"); do sleep 0.05; done',
  'journal "ingest done $INGESTION_MESSAGE_ID"',
  'exit "${INGEST_STATUS:-0}"',
].join('\n');

describe('entrypoint_ingester.sh', () => {
  let sandbox: Sandbox;
  let agent: FakeAgent;
  /** The ingester's environment on ECS, with the one-message contract configured. */
  let env: Record<string, string>;
  /** The journal without the polls, which depend on timing. */
  const events = (): string[] => sandbox.journal().filter((line) => line !== 'aws receive');
  const agentLine = (body: string): string => `agent PUT /api/test-task/task-protection/v1/state ${body}`;

  beforeEach(async () => {
    sandbox = new Sandbox();
    await fakeAws(sandbox);
    sandbox.stub('ingest', INGEST);
    agent = await sandbox.fakeAgent();
    env = {
      ECS_AGENT_URI: agent.uri,
      INGESTION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/cgap-test-ingestion-queue',
      INGESTION_PROCESS_COMMAND: 'ingest',
      INGESTION_POLL_WAIT_SECONDS: '1',
    };
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('holds scale-in protection while a message is processed and releases it after deleting the message', {
    timeout: 20_000,
  }, async () => {
    enqueue(sandbox, 'm1', { uuids: ['abc'] });
    const ingester = sandbox.start('entrypoint_ingester.sh', env);

    await waitUntil(() => agent.requests.length === 2, 'protection on and off', ingester);

    expect(events()).toEqual([
      agentLine(PROTECT),
      'ingest start m1 {"uuids":["abc"]}',
      'ingest done m1',
      'aws delete rh-m1',
      agentLine(RELEASE),
    ]);
    expect(agent.requests.map((request) => request.method)).toEqual(['PUT', 'PUT']);
    expect(ingester.child.exitCode).toBeNull(); // and waits for the next message
  });

  it('renews the protection while a long message is processed', { timeout: 20_000 }, async () => {
    enqueue(sandbox, 'm1', { uuids: ['abc'] });
    const ingester = sandbox.start('entrypoint_ingester.sh', {
      ...env,
      INGEST_SECONDS: '2',
      TASK_PROTECTION_RENEW_SECONDS: '0.3',
    });

    await waitUntil(() => events().includes(agentLine(RELEASE)), 'protection off', ingester);

    const protections = events().filter((line) => line === agentLine(PROTECT));
    expect(protections.length).toBeGreaterThanOrEqual(3);
    expect(events().indexOf('ingest done m1')).toBeLessThan(events().indexOf(agentLine(RELEASE)));
  });

  it('lets a failed message come back after the retry delay, releases protection and takes the next one', {
    timeout: 20_000,
  }, async () => {
    sandbox.stub(
      'ingest-or-fail',
      'journal "ingest $INGESTION_MESSAGE_ID"; [ "$INGESTION_MESSAGE_ID" != m1 ] || exit 3',
    );
    enqueue(sandbox, 'm1', {});
    enqueue(sandbox, 'm2', {});
    const ingester = sandbox.start('entrypoint_ingester.sh', { ...env, INGESTION_PROCESS_COMMAND: 'ingest-or-fail' });

    await waitUntil(() => agent.requests.length === 4, 'two messages handled', ingester);

    expect(events()).toEqual([
      agentLine(PROTECT),
      'ingest m1',
      'aws visibility rh-m1 300',
      agentLine(RELEASE),
      agentLine(PROTECT),
      'ingest m2',
      'aws delete rh-m2',
      agentLine(RELEASE),
    ]);
    expect(ingester.output()).toMatch(/message m1 failed with status 3: retrying in 300 s/);
  });

  it('on SIGTERM lets the current message finish, then exits', { timeout: 20_000 }, async () => {
    enqueue(sandbox, 'm1', {});
    const ingester = sandbox.start('entrypoint_ingester.sh', { ...env, INGEST_SECONDS: '1' });
    await waitUntil(() => events().some((line) => line.startsWith('ingest start m1')), 'processing', ingester);

    const exit = await terminate(ingester);

    expect(exit).toMatchObject({ code: 0 });
    expect(events()).toEqual([
      agentLine(PROTECT),
      'ingest start m1 {}',
      'ingest done m1',
      'aws delete rh-m1',
      agentLine(RELEASE),
    ]);
  });

  it('on SIGTERM hands the message back when it does not finish within the grace period', {
    timeout: 20_000,
  }, async () => {
    enqueue(sandbox, 'm1', {});
    const ingester = sandbox.start('entrypoint_ingester.sh', {
      ...env,
      INGEST_SECONDS: '30',
      INGESTION_STOP_GRACE_SECONDS: '0.5',
    });
    await waitUntil(() => events().some((line) => line.startsWith('ingest start m1')), 'processing', ingester);

    const exit = await terminate(ingester);

    expect(exit).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(3000);
    expect(events()).toEqual([
      agentLine(PROTECT),
      'ingest start m1 {}',
      'ingest stopped m1',
      'aws visibility rh-m1 0',
      agentLine(RELEASE),
    ]);
  });

  it('exits promptly on SIGTERM while waiting for messages, without touching protection', {
    timeout: 20_000,
  }, async () => {
    const ingester = sandbox.start('entrypoint_ingester.sh', env);
    await waitUntil(() => sandbox.journal().includes('aws receive'), 'a poll', ingester);

    const exit = await terminate(ingester);

    expect(exit).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(2000);
    expect(agent.requests).toEqual([]);
  });

  it('hands a message back instead of processing it unprotected when ECS refuses protection', {
    timeout: 20_000,
  }, async () => {
    const refusing = await sandbox.fakeAgent(() => ({
      status: 200,
      body: { failure: { Arn: 'arn:aws:ecs:task/test', Reason: 'TASK_NOT_VALID' } },
    }));
    enqueue(sandbox, 'm1', {});
    const ingester = sandbox.start('entrypoint_ingester.sh', {
      ...env,
      ECS_AGENT_URI: refusing.uri,
      INGESTION_ERROR_PAUSE_SECONDS: '0.2',
    });

    await waitUntil(() => events().includes('aws visibility rh-m1 0'), 'the message handed back', ingester);

    expect(events().some((line) => line.startsWith('ingest'))).toBe(false);
    expect(ingester.output()).toMatch(/refused by ECS/);
  });

  it("without a one-message command runs CGAP's listener and forwards SIGTERM to it", { timeout: 20_000 }, async () => {
    sandbox.stub(
      'poetry',
      'trap \'journal "listener stopped"; exit 0\' TERM; journal "poetry $*"; for _ in $(seq 100); do sleep 0.1; done',
    );
    const ingester = sandbox.start('entrypoint_ingester.sh', { ECS_AGENT_URI: agent.uri });
    await waitUntil(() => sandbox.journal().length === 1, 'the listener', ingester);

    const exit = await terminate(ingester);

    expect(exit).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toEqual([
      'poetry run ingestion-listener production.ini --app-name app',
      'listener stopped',
    ]);
    expect(agent.requests).toEqual([]);
  });

  it('finds the queue by name', { timeout: 20_000 }, async () => {
    const byName = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'INGESTION_QUEUE_URL'));
    const ingester = sandbox.start('entrypoint_ingester.sh', {
      ...byName,
      INGESTION_QUEUE_NAME: 'cgap-test-ingestion-queue',
    });

    await waitUntil(
      () => ingester.output().includes('taking messages one at a time from https://sqs.us-east-1.amazonaws.com/'),
      'the loop',
      ingester,
    );
  });

  it('refuses to start the one-message loop without a queue', { timeout: 20_000 }, async () => {
    const ingester = sandbox.start('entrypoint_ingester.sh', { INGESTION_PROCESS_COMMAND: 'ingest' });

    expect(await ingester.exited).toMatchObject({ code: 78 });
    expect(ingester.output()).toMatch(/set INGESTION_QUEUE_URL or INGESTION_QUEUE_NAME/);
  });
});
