import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../../src/cli/main.js';
import { startFakeApi, type FakeApi, type FakeReply } from '../../support/fake-api.js';

const RELEASE_ID = 'rel-0123456789abcdef0123';
const RELEASE_PATH = `GET /releases/${RELEASE_ID}`;
let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

function release(state: string, steps: string[], extra: Record<string, unknown> = {}): FakeReply {
  return {
    status: 200,
    body: {
      id: RELEASE_ID,
      environment: 'cgap-mastertest',
      version: '1.4.0',
      sourceDigest: `sha256:${'a'.repeat(64)}`,
      state,
      builds: {},
      triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release',
      createdAt: '2026-11-25T15:00:00.000Z',
      updatedAt: '2026-11-25T15:00:00.000Z',
      timeline: steps.map((step) => ({ at: '2026-11-25T15:00:00.000Z', step })),
      ...extra,
    },
  };
}

/** Polls answered in order, the last repeating; the clock moves only when watch sleeps (2 s a poll by default). */
async function watch(replies: FakeReply[], args: string[] = [], io: Partial<CliIo> = {}) {
  api = await startFakeApi({ [RELEASE_PATH]: replies });
  let clock = 0;
  let output = '';
  const code = await main(
    ['node', 'ecs-conductor', '--api', api.url, '--token', 't', 'watch', RELEASE_ID, ...args],
    (text) => (output += text),
    {
      env: {},
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
      ...io,
    },
  );
  return { code, output, polls: api.requests.length };
}

/** watch against an API already started (several paths), on a clock that never moves. */
async function watchServed(served: FakeApi) {
  let output = '';
  const code = await main(
    ['node', 'ecs-conductor', '--api', served.url, '--token', 't', 'watch', RELEASE_ID],
    (text) => (output += text),
    { env: {}, now: () => 0, sleep: () => Promise.resolve() },
  );
  return { code, output };
}

const deploying = [
  release('BUILT', ['release created', 'release built']),
  release('DEPLOYING', ['release created', 'release built', 'roll services wsgi, indexer, ingester']),
  release('DEPLOYING', ['release created', 'release built', 'roll services wsgi, indexer, ingester']),
  release('DEPLOYING', [
    'release created',
    'release built',
    'roll services wsgi, indexer, ingester',
    'run task deployment',
  ]),
];

describe('ecs-conductor watch', () => {
  it('prints a line per change until the release completes, and exits 0', async () => {
    const result = await watch([...deploying, release('COMPLETED', ['run task deployment', 'release completed'])]);
    expect(result.code).toBe(0);
    expect(result.output).toBe(
      [
        `[0s] ${RELEASE_ID} 1.4.0 BUILT — release built`,
        `[2s] ${RELEASE_ID} 1.4.0 DEPLOYING — roll services wsgi, indexer, ingester`,
        `[6s] ${RELEASE_ID} 1.4.0 DEPLOYING — run task deployment`,
        `[8s] ${RELEASE_ID} 1.4.0 COMPLETED — release completed`,
        `release ${RELEASE_ID} COMPLETED after 8s`,
        '',
      ].join('\n'),
    );
    expect(result.polls).toBe(5);
  });

  it('exits 1 when the release fails, saying where and why', async () => {
    const failure = {
      step: 'run task deployment',
      reason: 'task exited with code 3',
      logLink: 'https://console.aws.amazon.com/cloudwatch/logs',
    };
    const result = await watch([
      ...deploying,
      release('FAILED', ['run task deployment', 'release failed'], { failure }),
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `[8s] ${RELEASE_ID} 1.4.0 FAILED — release failed\nrelease ${RELEASE_ID} FAILED after 8s\n`,
    );
    expect(result.output).toContain(
      '  failed at run task deployment: task exited with code 3\n  logs https://console.aws.amazon.com/cloudwatch/logs\n',
    );
  });

  it('follows a deploy through the approval gate, saying how to answer it', async () => {
    const result = await watch([
      release('AWAITING_APPROVAL', ['gate scan passed', 'gate approval awaited']),
      release('DEPLOYING', ['gate approval passed', 'deploy started']),
      release('COMPLETED', ['release completed']),
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toContain(
      `[0s] ${RELEASE_ID} 1.4.0 AWAITING_APPROVAL — gate approval awaited (answer: ecs-conductor approve|reject cgap-mastertest 1.4.0)\n`,
    );
    expect(result.output).toContain(`[2s] ${RELEASE_ID} 1.4.0 DEPLOYING — deploy started\n`);
  });

  it('goes on through a bake; an alarm that fails it is named with where the environment went back to', async () => {
    const until = '2026-11-25T15:10:00.000Z';
    const baked = await watch([
      release('BAKING', ['run task deployment done', `baking until ${until}`]),
      release('COMPLETED', ['bake passed', 'release completed']),
    ]);
    expect(baked.code).toBe(0);
    expect(baked.output).toContain(`[0s] ${RELEASE_ID} 1.4.0 BAKING — baking until ${until}\n`);
    expect(baked.output).toContain(`release ${RELEASE_ID} COMPLETED after 2s\n`);

    await api?.close();
    const failure = {
      kind: 'alarm',
      step: 'bake',
      reason: 'alarm cgap-wsgi-5xx went to ALARM at 2026-11-25T15:04:00.000Z: Threshold Crossed',
      alarm: { name: 'cgap-wsgi-5xx', changedAt: '2026-11-25T15:04:00.000Z' },
      rolledBackTo: { releaseId: 'rel-1111111111111111aaaa', version: '1.3.0' },
    };
    const alarmed = await watch([release('ROLLED_BACK', ['automatic rollback started', 'rolled back'], { failure })]);
    expect(alarmed.code).toBe(1);
    expect(alarmed.output).toContain(
      `  failed at bake: ${failure.reason}\n  rolled back automatically to 1.3.0 (rel-1111111111111111aaaa)\n`,
    );
  });

  it('stops at BAKING with --until-built: the release was built long before', async () => {
    const result = await watch([release('BAKING', ['baking until 2026-11-25T15:10:00.000Z'])], ['--until-built']);
    expect(result.code).toBe(0);
    expect(result.polls).toBe(1);
  });

  it('shows each native stage of a blue/green rollout and the smoke check’s answer as the release reaches them', async () => {
    const steps = [
      'service wsgi rolling',
      'service wsgi: TEST_TRAFFIC_SHIFT',
      'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check passed (200 /health, expected 200)',
      'service wsgi: BAKE_TIME',
    ];
    const result = await watch([
      ...steps.map((_, index) => release('DEPLOYING', steps.slice(0, index + 1))),
      release('COMPLETED', [...steps, 'release completed']),
    ]);
    expect(result.code).toBe(0);
    expect(result.output.split('\n').filter((line) => line.includes(' DEPLOYING — '))).toEqual(
      steps.map((step, index) => `[${String(index * 2)}s] ${RELEASE_ID} 1.4.0 DEPLOYING — ${step}`),
    );
  });

  it('ends on a failed smoke check with ECS’s rollback as the reason', async () => {
    const reason =
      'service wsgi: ECS rolled the deployment back (ROLLBACK_SUCCESSFUL): lifecycle hook at POST_TEST_TRAFFIC_SHIFT answered FAILED';
    api = await startFakeApi({
      [RELEASE_PATH]: [
        release('DEPLOYING', [
          'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check failed (500 /health, expected 200)',
        ]),
        release('FAILED', ['release failed'], { failure: { kind: 'service', step: 'services wsgi', reason } }),
      ],
      'GET /environments': { status: 200, body: { environments: [] } },
    });
    const { code, output } = await watchServed(api);
    expect(code).toBe(1);
    expect(output).toContain('DEPLOYING — service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check failed (500 /health');
    // Wrapped at the output's width: the whole reason, over two lines.
    expect(output.replace(/\n +/g, ' ')).toContain(reason);
  });

  it('follows a failed release into its automatic rollback, and exits 1 saying so', async () => {
    const BACK = 'rel-fedcba9876543210fedc';
    const rollback = (state: string, step: string): FakeReply => {
      const reply = release(state, [step], {
        rollout: { kind: 'rollback', attempt: 1, stepIndex: 0, rollingBackFrom: RELEASE_ID },
      });
      return { ...reply, body: { ...(reply.body as object), id: BACK, version: '1.3.0' } };
    };
    const active = {
      id: BACK,
      version: '1.3.0',
      state: 'DEPLOYING',
      currentStep: 'roll services',
      updatedAt: '2026-11-25T15:00:00.000Z',
    };
    api = await startFakeApi({
      [RELEASE_PATH]: [release('DEPLOYING', ['run task deployment']), release('FAILED', ['release failed'])],
      'GET /environments': {
        status: 200,
        body: {
          environments: [
            { name: 'cgap-mastertest', cluster: 'cgap-mastertest', state: 'deploying', activeRelease: active },
          ],
        },
      },
      [`GET /releases/${BACK}`]: [
        rollback('DEPLOYING', 'roll services wsgi'),
        rollback('DEPLOYING', 'roll services wsgi'),
        rollback('COMPLETED', 'release completed'),
      ],
    });
    const { code, output } = await watchServed(api);

    expect(code).toBe(1);
    expect(output).toContain(`release ${RELEASE_ID} FAILED`);
    expect(output).toContain(`the conductor is rolling cgap-mastertest back to 1.3.0 (${BACK}) automatically`);
    expect(output).toContain(`${BACK} 1.3.0 COMPLETED — release completed`);
    expect(output).toMatch(/1\.4\.0 failed; cgap-mastertest rolled back to 1\.3\.0\n$/);
  });

  it('exits 1 for a release that was rolled back', async () => {
    const result = await watch([release('ROLLED_BACK', ['rolled back to rel-older'])]);
    expect(result.code).toBe(1);
  });

  it('rewrites one line on a terminal, ending it when the release ends', async () => {
    const result = await watch([...deploying.slice(1, 3), release('COMPLETED', ['release completed'])], [], {
      isTTY: true,
    });
    expect(result.code).toBe(0);
    const frames = result.output.split('\r\x1b[2K').filter((frame) => frame !== '');
    // Every poll redraws the line, so the elapsed time moves even while the step does not.
    expect(frames).toEqual([
      `[0s] ${RELEASE_ID} 1.4.0 DEPLOYING — roll services wsgi, indexer, ingester`,
      `[2s] ${RELEASE_ID} 1.4.0 DEPLOYING — roll services wsgi, indexer, ingester`,
      `[4s] ${RELEASE_ID} 1.4.0 COMPLETED — release completed\nrelease ${RELEASE_ID} COMPLETED after 4s\n`,
    ]);
  });

  it('stops at BUILT with --until-built, and polls at --interval', async () => {
    const result = await watch(
      [release('BUILDING', ['build wsgi started']), release('BUILT', ['release built'])],
      ['--until-built', '--interval', '0.5'],
    );
    expect(result.code).toBe(0);
    expect(result.output).toContain(`[0s] ${RELEASE_ID} 1.4.0 BUILDING — build wsgi started\n`);
    expect(result.output).toContain(`release ${RELEASE_ID} BUILT after 0s\n`);
    expect(result.polls).toBe(2);
  });

  it('prints one JSON line per change with --json', async () => {
    const result = await watch(
      [release('DEPLOYING', ['a']), release('DEPLOYING', ['a']), release('COMPLETED', ['b'])],
      ['--json'],
    );
    expect(result.code).toBe(0);
    const lines = result.output
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { state: string });
    expect(lines.map((line) => line.state)).toEqual(['DEPLOYING', 'COMPLETED']);
  });

  it('rides out a 503 and keeps watching', async () => {
    const throttled: FakeReply = { status: 503, body: { error: { code: 'THROTTLED', message: 'retry shortly' } } };
    const result = await watch([release('DEPLOYING', ['a']), throttled, release('COMPLETED', ['b'])]);
    expect(result.code).toBe(0);
    expect(result.output).toContain('retrying (retry shortly)');
  });

  it('gives up at once on an unknown release', async () => {
    const result = await watch([
      { status: 404, body: { error: { code: 'NOT_FOUND', message: `release "${RELEASE_ID}" does not exist` } } },
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toBe(`error: 404 NOT_FOUND: release "${RELEASE_ID}" does not exist\n  request id req-1\n`);
    expect(result.polls).toBe(1);
  });

  it('stops watching after --timeout with exit 1', async () => {
    const result = await watch([release('DEPLOYING', ['a'])], ['--timeout', '5']);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`release ${RELEASE_ID} still DEPLOYING after 6s; stopped watching`);
  });
});
