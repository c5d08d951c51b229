import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, type CliIo } from '../../../src/cli/main.js';
import { startFakeApi, type FakeApi, type FakeReply, type FakeRoutes } from '../../support/fake-api.js';

const ENV = 'cgap-mastertest';
const RELEASE_ID = 'rel-0123456789abcdef0123';
let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
  vi.unstubAllEnvs();
});

/** Runs the CLI against a fake API with a clock that only moves when the CLI sleeps. */
async function cli(routes: FakeRoutes, args: string[], io: Partial<CliIo> = {}) {
  api = await startFakeApi(routes);
  let clock = 0;
  let output = '';
  const code = await main(['node', 'ecs-conductor', '--api', api.url, ...args], (text) => (output += text), {
    env: { CONDUCTOR_API_TOKEN: 'env-token' },
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    ...io,
  });
  return { code, output, requests: api.requests };
}

function release(state: string, steps: string[], extra: Record<string, unknown> = {}) {
  return {
    id: RELEASE_ID,
    environment: ENV,
    version: '1.4.0',
    sourceDigest: `sha256:${'a'.repeat(64)}`,
    state,
    builds: {
      wsgi: {
        imageTag: '1.4.0-wsgi',
        status: 'SUCCEEDED',
        buildId: 'cgap-mastertest:b1',
        digest: `sha256:${'b'.repeat(64)}`,
      },
    },
    triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release',
    createdAt: '2026-11-25T15:00:00.000Z',
    updatedAt: '2026-11-25T15:05:00.000Z',
    timeline: steps.map((step, index) => ({ at: `2026-11-25T15:0${index}:00.000Z`, step })),
    ...extra,
  };
}

/** The escape that starts an ANSI colour code. */
const ESC = String.fromCharCode(27);
const ok = (body: unknown): FakeReply => ({ status: 200, body });

const environments = {
  environments: [
    { name: ENV, cluster: ENV, state: `deploying 1.4.0 (${RELEASE_ID})`, activeRelease: null },
    { name: 'cgap-prod', cluster: 'cgap-prod', state: 'last release 1.3.9 COMPLETED', activeRelease: null },
  ],
};

const status = {
  name: ENV,
  cluster: ENV,
  state: 'idle',
  health: 'Healthy',
  healthReason: 'every service runs adopted-0123456789ab',
  nextStep: null,
  rollbackTo: null,
  currentRelease: {
    id: RELEASE_ID,
    version: 'adopted-0123456789ab',
    state: 'COMPLETED',
    currentStep: 'adopted',
    updatedAt: '2026-11-25T15:00:00.000Z',
  },
  routineRedeploy: {
    task: 'deployment',
    everyDays: 80,
    lastRunAt: '2026-09-01T00:00:00.000Z',
    nextDueAt: '2026-11-25T17:00:00.000Z',
    failuresInARow: 1,
    lastFailure: { at: '2026-11-25T16:00:00.000Z', reason: 'task deployment exited 3', releaseId: RELEASE_ID },
  },
  services: [
    {
      key: 'wsgi',
      name: 'cgap-mastertest-wsgi',
      status: 'ACTIVE',
      version: null,
      desiredCount: 8,
      runningCount: 7,
      pendingCount: 1,
      configuredDesiredCount: 8,
      taskDefinition: {
        arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-wsgi:3',
        family: 'cgap-mastertest-wsgi',
        revision: 3,
      },
      image: { container: 'app', image: 'repo:1.3.9-wsgi', repository: 'repo', tag: '1.3.9-wsgi', digest: null },
      rolloutState: 'COMPLETED',
      rolloutStateReason: null,
      deployments: 1,
    },
  ],
  queues: [
    {
      key: 'ingestion',
      queue: 'cgap-mastertest-ingestion-queue',
      service: 'ingester',
      minTasks: 1,
      maxTasks: 4,
      visible: 12,
      inFlight: 3,
      delayed: 0,
      lastDecision: { at: '2026-11-25T15:04:00Z', desiredCount: 4, reason: 'backlog 15' },
      hold: null,
    },
  ],
  activeRelease: null,
  running: { version: 'adopted-0123456789ab', releaseId: RELEASE_ID, digest: `sha256:${'a'.repeat(64)}` },
  latestRelease: null,
};

describe('ecs-conductor status', () => {
  it('lists the environments with their one-line state, sending the token from CONDUCTOR_API_TOKEN', async () => {
    const result = await cli({ 'GET /environments': ok(environments) }, ['status']);
    expect(result.code).toBe(0);
    expect(result.output).toBe(
      [
        'ENVIRONMENT      CLUSTER          STATE',
        `cgap-mastertest  cgap-mastertest  deploying 1.4.0 (${RELEASE_ID})`,
        'cgap-prod        cgap-prod        last release 1.3.9 COMPLETED',
        '',
      ].join('\n'),
    );
    expect(result.requests[0]?.headers.authorization).toBe('Bearer env-token');
  });

  it('shows one environment’s services and queues; --token wins over the environment', async () => {
    const result = await cli({ [`GET /environments/${ENV}`]: ok(status) }, ['status', ENV, '--token', 'flag-token']);
    expect(result.code).toBe(0);
    expect(result.output).toContain('cgap-mastertest (cluster cgap-mastertest): idle');
    expect(result.output).toContain(`running adopted-0123456789ab (${RELEASE_ID})\n`);
    expect(result.output).toContain(
      'routine deployment every 80 days: last run 2026-09-01 00:00:00 UTC, next due 2026-11-25 17:00:00 UTC\n  — 1 failure in a row, last at 2026-11-25 16:00:00 UTC: task deployment exited 3\n',
    );
    expect(result.output).toMatch(/^wsgi +ACTIVE +7\/8 \+1 pending +cgap-mastertest-wsgi:3 +1\.3\.9-wsgi +COMPLETED$/m);
    expect(result.output).toMatch(/^ingestion +ingester +12 +3 +0 +1-4$/m);
    expect(result.output).toContain('\ningestion: 4 tasks at 2026-11-25 15:04:00 UTC: backlog 15\n');
    expect(result.requests[0]?.headers.authorization).toBe('Bearer flag-token');
  });

  it('shows the release the services run, and its version in place of the image digest', async () => {
    const running = { version: '1.4.0', releaseId: RELEASE_ID, digest: 'sha256:abc' };
    const [wsgi] = status.services;
    const reply = { ...status, running, services: [{ ...wsgi, version: '1.4.0' }] };
    const result = await cli({ [`GET /environments/${ENV}`]: ok(reply) }, ['status', ENV]);
    expect(result.output).toContain(`running 1.4.0 (${RELEASE_ID})`);
    expect(result.output).toMatch(/^wsgi +ACTIVE +7\/8 \+1 pending +cgap-mastertest-wsgi:3 +1\.4\.0 +COMPLETED$/m);
  });

  it('prints the raw JSON with --json', async () => {
    const result = await cli({ [`GET /environments/${ENV}`]: ok(status) }, ['--json', 'status', ENV]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.output)).toEqual(status);
  });
});

describe('ecs-conductor release', () => {
  it('shows one release with its timeline at times a person reads, and --json the reply as it is', async () => {
    const view = release('COMPLETED', ['release created', 'release completed']);
    const routes = { [`GET /releases/${RELEASE_ID}`]: ok(view) };
    const result = await cli(routes, ['release', RELEASE_ID]);
    expect(result.code).toBe(0);
    expect(result.output).toContain(`release ${RELEASE_ID}: ${ENV} 1.4.0 COMPLETED — release completed`);
    expect(result.output).toMatch(/^ {2}2026-11-25 15:00:00 UTC +release created$/m);
    expect(result.output).toMatch(/^ {2}2026-11-25 15:01:00 UTC +release completed$/m);
    const json = await cli(routes, ['--json', 'release', RELEASE_ID]);
    expect(JSON.parse(json.output)).toEqual(view);
  });
});

describe('ecs-conductor releases', () => {
  it('lists releases newest first with --limit, and says how to get the next page', async () => {
    const page = {
      releases: [
        release('DEPLOYING', ['release created', 'roll services wsgi']),
        release('COMPLETED', ['release completed'], { id: 'rel-older', version: '1.3.9' }),
      ],
      cursor: 'abc',
    };
    const result = await cli({ [`GET /environments/${ENV}/releases`]: ok(page) }, ['releases', ENV, '--limit', '2']);
    expect(result.code).toBe(0);
    expect(result.requests[0]?.url).toBe(`/environments/${ENV}/releases?limit=2`);
    expect(result.output).toMatch(
      new RegExp(`^${RELEASE_ID} +1\\.4\\.0 +DEPLOYING +2026-11-25 15:00:00 UTC +roll services wsgi$`, 'm'),
    );
    expect(result.output).toMatch(/^rel-older +1\.3\.9 +COMPLETED/m);
    expect(result.output).toContain(`more:\n  ecs-conductor releases ${ENV} --limit 2 --cursor abc\n`);
  });

  it('marks states with symbols and colour on a terminal, keeping the columns aligned; plain under NO_COLOR', async () => {
    const page = {
      releases: [
        release('DEPLOYING', ['roll services wsgi']),
        release('COMPLETED', ['release completed'], { id: 'rel-older', version: '1.3.9' }),
        release('ROLLED_BACK', ['rolled back'], { id: 'rel-oldest', version: '1.3.8' }),
      ],
    };
    const routes = { [`GET /environments/${ENV}/releases`]: ok(page) };
    const piped = await cli(routes, ['releases', ENV]);
    await api?.close();
    const noColour = await cli(routes, ['releases', ENV], { isTTY: true, env: { NO_COLOR: '1' } });
    await api?.close();
    const terminal = await cli(routes, ['releases', ENV], { isTTY: true, env: {} });

    expect(piped.output).not.toMatch(/[✔✖●]/);
    expect(piped.output).not.toContain('\x1b');
    expect(noColour.output).toBe(piped.output);
    expect(terminal.output).toContain('\x1b[32m✔ COMPLETED\x1b[0m');
    expect(terminal.output).toContain('\x1b[31m✖ ROLLED_BACK\x1b[0m');
    expect(terminal.output).toContain('\x1b[33m● DEPLOYING\x1b[0m');
    // Without the colour codes, every row's CREATED column starts where the header's does.
    const lines = terminal.output
      .replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')
      .split('\n')
      .slice(0, 4);
    const created = lines.map((line) => line.search(/CREATED|2026-/));
    expect(new Set(created).size).toBe(1);
    expect(lines[2]).toMatch(/^rel-older +1\.3\.9 +✔ COMPLETED +2026-11-25 15:00:00 UTC/);
  });

  it('refuses a --limit that is not a positive whole number without calling the API', async () => {
    const result = await cli({}, ['releases', ENV, '--limit', 'ten']);
    expect(result.code).toBe(1);
    expect(result.output).toContain('--limit must be a whole number >= 1');
    expect(result.requests).toEqual([]);
  });
});

describe('ecs-conductor build, deploy, rollback, scale', () => {
  const buildReply = {
    releaseId: RELEASE_ID,
    environment: ENV,
    version: '1.4.0',
    sourceDigest: `sha256:${'a'.repeat(64)}`,
    state: 'BUILDING',
    builds: {
      wsgi: { imageTag: '1.4.0-wsgi', status: 'IN_PROGRESS', buildId: 'cgap-mastertest:b1' },
      indexer: { imageTag: '1.4.0-indexer', status: 'PENDING', buildId: null },
    },
    startedNow: ['wsgi'],
  };

  it('build posts the version and entrypoints and shows the builds', async () => {
    const result = await cli({ [`POST /environments/${ENV}/builds`]: { status: 202, body: buildReply } }, [
      'build',
      ENV,
      '1.4.0',
      '--entrypoint',
      'wsgi',
      'indexer',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests[0]?.body ?? '')).toEqual({ version: '1.4.0', entrypoints: ['wsgi', 'indexer'] });
    expect(result.requests[0]?.headers['content-type']).toBe('application/json');
    expect(result.output).toContain(`release ${RELEASE_ID}: cgap-mastertest 1.4.0 BUILDING`);
    expect(result.output).toMatch(/^ {2}wsgi +1\.4\.0-wsgi +cgap-mastertest:b1 +IN_PROGRESS$/m);
    expect(result.output).toContain('started builds of wsgi');
    expect(result.output).toContain(`follow it: ecs-conductor watch ${RELEASE_ID} --until-built`);
  });

  it('deploy posts version, task and confirmation and shows the release', async () => {
    const reply = { status: 202, body: release('DEPLOYING', ['release created', 'run task initial-deployment']) };
    const result = await cli({ [`POST /environments/${ENV}/deployments`]: reply }, [
      'deploy',
      ENV,
      '1.4.0',
      '--task',
      'initial-deployment',
      '--confirm',
      ENV,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests[0]?.body ?? '')).toEqual({
      version: '1.4.0',
      task: 'initial-deployment',
      confirm: ENV,
    });
    expect(result.output).toContain(
      `release ${RELEASE_ID}: cgap-mastertest 1.4.0 DEPLOYING — run task initial-deployment`,
    );
    expect(result.output).toContain(`follow it: ecs-conductor watch ${RELEASE_ID}`);
  });

  it('deploy shows the rollout plan in order, the images it rolls out, and how to follow it as invoked', async () => {
    const image = (name: string, hex: string) => ({
      name,
      entrypoint: name,
      imageTag: `1.4.0-${name}`,
      digest: `sha256:${hex.repeat(64)}`,
    });
    const plan = [
      { kind: 'services', waitsForPrevious: false, targets: [image('wsgi', 'b'), image('indexer', 'c')] },
      { kind: 'task', waitsForPrevious: true, targets: [image('deployment', 'd')] },
    ];
    const body = { ...release('DEPLOYING', ['deploy started']), plan };
    const routes = { [`POST /environments/${ENV}/deployments`]: { status: 202, body } };
    const npx = { env: { CONDUCTOR_API_TOKEN: 't', npm_command: 'exec' } };
    const result = await cli(routes, ['deploy', ENV, '1.4.0'], npx);
    expect(result.code).toBe(0);
    expect(result.output).toBe(
      [
        `release ${RELEASE_ID}: ${ENV} 1.4.0 DEPLOYING — deploy started`,
        'plan (2 steps, in order)',
        '  1. update 2 services together: wsgi, indexer',
        '       NAME     IMAGE          DIGEST',
        `       wsgi     1.4.0-wsgi     sha256:${'b'.repeat(12)}`,
        `       indexer  1.4.0-indexer  sha256:${'c'.repeat(12)}`,
        '  2. once step 1 completed, run task deployment',
        '       NAME        IMAGE             DIGEST',
        `       deployment  1.4.0-deployment  sha256:${'d'.repeat(12)}`,
        `follow it: npx ecs-conductor watch ${RELEASE_ID}`,
        '',
      ].join('\n'),
    );
    await api?.close();
    const json = await cli(routes, ['deploy', ENV, '1.4.0', '--json']);
    expect(JSON.parse(json.output)).toEqual(body);
  });

  it('deploy sends only the version when no task is named', async () => {
    const result = await cli(
      { [`POST /environments/${ENV}/deployments`]: { status: 202, body: release('DEPLOYING', []) } },
      ['deploy', ENV, '1.4.0'],
    );
    expect(JSON.parse(result.requests[0]?.body ?? '')).toEqual({ version: '1.4.0' });
  });

  it('rollback posts an empty object and says from which release to which', async () => {
    const summary = `rolling back from 1.7.0 (rel-newer) to 1.4.0 (${RELEASE_ID})`;
    const body = {
      ...release('DEPLOYING', ['rollback started']),
      rolledBackFrom: { releaseId: 'rel-newer', version: '1.7.0' },
      summary,
    };
    const result = await cli({ [`POST /environments/${ENV}/rollback`]: { status: 202, body } }, ['rollback', ENV]);
    expect(result.code).toBe(0);
    expect(result.requests[0]?.body).toBe('{}');
    expect(result.output.split('\n')[0]).toBe(summary);
    await api?.close();

    // With the plan (this API's reply), the plan follows the summary.
    const target = { name: 'wsgi', entrypoint: 'wsgi', imageTag: '1.4.0-wsgi', digest: `sha256:${'b'.repeat(64)}` };
    const planned = { ...body, plan: [{ kind: 'services', waitsForPrevious: false, targets: [target] }] };
    const withPlan = await cli({ [`POST /environments/${ENV}/rollback`]: { status: 202, body: planned } }, [
      'rollback',
      ENV,
    ]);
    expect(withPlan.output.split('\n').slice(0, 4)).toEqual([
      summary,
      `release ${RELEASE_ID}: ${ENV} 1.4.0 DEPLOYING — rollback started`,
      'plan (1 step, in order)',
      '  1. update service wsgi',
    ]);
  });

  it('says the deployment gate is blind in a deploy reply and in the status', async () => {
    const reason = "gate blind: the deployment task deployment runs the image's own entrypoint";
    const deploymentGate = { blind: true, reason };
    const deployed = await cli(
      {
        [`POST /environments/${ENV}/deployments`]: {
          status: 202,
          body: { ...release('DEPLOYING', []), plan: [], deploymentGate },
        },
      },
      ['deploy', ENV, '1.4.0'],
    );
    expect(deployed.output).toContain(`${reason}\n`);
    await api?.close();
    const shown = await cli({ [`GET /environments/${ENV}`]: ok({ ...status, deploymentGate }) }, ['status', ENV]);
    expect(shown.output.split('\n')).toContain(reason);
  });

  it('redeploy posts an empty object and prints the re-running release', async () => {
    const result = await cli(
      { [`POST /environments/${ENV}/redeploy`]: { status: 202, body: release('DEPLOYING', ['rerun started']) } },
      ['redeploy', ENV],
    );
    expect(result.code).toBe(0);
    expect(result.requests[0]?.body).toBe('{}');
    expect(result.output).toContain(`release ${RELEASE_ID}: ${ENV} 1.4.0 DEPLOYING — rerun started`);
  });

  it('adopt prints the baseline release, its digests and where the re-run clock starts', async () => {
    const plain = release('COMPLETED', ['adopted'], { version: 'adopted-0123456789ab' });
    const deployment = { ...plain.builds.wsgi, imageTag: 'latest-deployment', digest: `sha256:${'c'.repeat(64)}` };
    const baseline = { ...plain, builds: { ...plain.builds, deployment } };
    const current = {
      releaseId: RELEASE_ID,
      since: '2026-11-25T16:00:00.000Z',
      deploymentTaskRunAt: '2026-11-20T08:00:00.000Z',
    };
    const result = await cli(
      { [`POST /environments/${ENV}/adopt`]: ok({ release: baseline, recordedNow: true, current }) },
      ['adopt', ENV],
    );
    expect(result.code).toBe(0);
    expect(result.requests[0]?.body).toBe('{}');
    expect(result.output).toBe(
      [
        `adopted: ${ENV} runs adopted-0123456789ab (${RELEASE_ID}), recorded as its current release`,
        `  wsgi        sha256:${'b'.repeat(64)}`,
        `  deployment  sha256:${'c'.repeat(64)}`,
        'routine deployment task last ran 2026-11-20 08:00:00 UTC',
        '',
      ].join('\n'),
    );
  });

  it('adopt says when ECS showed no run of the routine task: unknown, so due (never "ran at adoption")', async () => {
    const baseline = release('COMPLETED', ['adopted'], { version: 'adopted-0123456789ab' });
    const current = { releaseId: RELEASE_ID, since: '2026-11-25T16:00:00.000Z', deploymentTaskRunAt: null };
    const result = await cli(
      { [`POST /environments/${ENV}/adopt`]: ok({ release: baseline, recordedNow: true, current }) },
      ['adopt', ENV],
    );
    expect(result.code).toBe(0);
    expect(result.output.split('\n').slice(2)).toEqual([
      'routine deployment task: ECS shows no run of it, so it is due: reconcile runs it within the hour',
      '  unless a deploy runs it first (status says when)',
      '',
    ]);
  });

  it('adopt names the refusal and exits 1 while a rollout holds the environment', async () => {
    const conflict = {
      error: { code: 'CONFLICT', message: `environment ${ENV} is busy with release rel-x`, details: [] },
    };
    const result = await cli({ [`POST /environments/${ENV}/adopt`]: { status: 409, body: conflict } }, ['adopt', ENV]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`error: 409 CONFLICT: environment ${ENV} is busy with release rel-x`);
  });

  it('scale posts the count and hold', async () => {
    const reply = ok({
      environment: ENV,
      service: 'ingester',
      desiredCount: 3,
      hold: { desiredCount: 3, until: '2026-11-25T16:00:00Z', by: 'cgap-release' },
    });
    const result = await cli({ [`POST /environments/${ENV}/services/ingester/scale`]: reply }, [
      'scale',
      ENV,
      'ingester',
      '3',
      '--hold-minutes',
      '30',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests[0]?.body ?? '')).toEqual({ desiredCount: 3, holdMinutes: 30 });
    expect(result.output).toBe(
      [
        `${ENV} ingester: desired 3 tasks, held at 3 tasks until 2026-11-25 16:00:00 UTC (by`,
        '  cgap-release)',
        `end the hold sooner: ecs-conductor scale ${ENV} ingester --release`,
        '',
      ].join('\n'),
    );
  });

  it('scale --release ends the hold with DELETE, and --hold-minutes 0 sets the count with no hold', async () => {
    const servicePath = `/environments/${ENV}/services/ingester`;
    const ended = ok({
      environment: ENV,
      service: 'ingester',
      ended: { desiredCount: 1, until: '2026-11-25T16:30:00Z', by: 'me' },
    });
    const released = await cli({ [`DELETE ${servicePath}/hold`]: ended }, ['scale', ENV, 'ingester', '--release']);
    expect(released.code).toBe(0);
    expect(released.output).toBe(
      `${ENV} ingester: ended the hold at 1 task until 2026-11-25 16:30:00 UTC (by me); the autoscaler decides its count again\n`,
    );
    expect(released.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `DELETE ${servicePath}/hold`,
    ]);
    await api?.close();

    const set = ok({ environment: ENV, service: 'ingester', desiredCount: 2, hold: null });
    const args = ['scale', ENV, ...'ingester 2 --hold-minutes 0'.split(' ')];
    const unheld = await cli({ [`POST ${servicePath}/scale`]: set }, args);
    expect(unheld.code).toBe(0);
    expect(JSON.parse(unheld.requests[0]?.body ?? '')).toEqual({ desiredCount: 2, holdMinutes: 0 });
    expect(unheld.output).toBe(
      `${ENV} ingester: desired 2 tasks, no hold: the autoscaler may change it at its next pass\n`,
    );
  });

  it('scale says what a manual scale holds and for how long, and needs a COUNT or --release', async () => {
    const help = await cli({}, ['scale', '--help']);
    expect(help.output).toContain(
      'A manual scale holds the count: the autoscaler leaves the service at COUNT for 30 minutes',
    );
    expect(help.output).toContain('--release');
    const neither = await cli({}, ['scale', ENV, 'ingester']);
    expect(neither).toMatchObject({ code: 1, requests: [] });
    expect(neither.output).toContain('give a COUNT, or --release to end a hold');
  });

  it.each([['-1'], ['2.5'], ['many']])('scale refuses the count %s without calling the API', async (count) => {
    const result = await cli({}, ['scale', ENV, 'ingester', count]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('COUNT must be a whole number >= 0');
    expect(result.requests).toEqual([]);
  });
});

describe('errors', () => {
  it('names API fields as the CLI flags, and repeats hints as the CLI was invoked (npx)', async () => {
    const body = {
      error: {
        code: 'CONFIRMATION_REQUIRED',
        message: 'task initial-deployment is destructive',
        details: [{ path: 'body.confirm', message: 'must be "cgap-prod"; run: ecs-conductor deploy cgap-prod 1.4.0' }],
      },
    };
    const result = await cli(
      { [`POST /environments/${ENV}/deployments`]: { status: 422, body } },
      ['deploy', ENV, '1.4.0', '--task', 'initial-deployment'],
      { env: { CONDUCTOR_API_TOKEN: 'env-token', npm_command: 'exec' } },
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      '  --confirm: must be "cgap-prod"; run: npx ecs-conductor deploy cgap-prod 1.4.0\n',
    );
  });

  it('prints the API’s code, message and every detail path, and exits 1', async () => {
    const body = {
      error: {
        code: 'INVALID_REQUEST',
        message: 'the request body is invalid',
        details: [
          { path: 'body.version', message: 'must be an ECR image tag' },
          { path: 'body.entrypoints.1', message: 'unknown entrypoint "worker"' },
        ],
      },
    };
    const result = await cli({ [`POST /environments/${ENV}/builds`]: { status: 422, body } }, [
      'build',
      ENV,
      '.bad',
      '--entrypoint',
      'worker',
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toBe(
      [
        'error: 422 INVALID_REQUEST: the request body is invalid',
        '  VERSION: must be an ECR image tag',
        '  --entrypoint: unknown entrypoint "worker"',
        '  request id req-1',
        '',
      ].join('\n'),
    );
  });

  it('shows Retry-After for a 503', async () => {
    const reply = {
      status: 503,
      body: { error: { code: 'THROTTLED', message: 'AWS is throttling the conductor; retry shortly' } },
      headers: { 'retry-after': '5' },
    };
    const result = await cli({ 'GET /environments': reply }, ['status']);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'error: 503 THROTTLED: AWS is throttling the conductor; retry shortly\n  retry after 5 s',
    );
  });

  it('reports a reply that is not the API’s error model by its status', async () => {
    const result = await cli({ 'GET /environments': { status: 502, body: 'Bad Gateway' } }, ['status']);
    expect(result.code).toBe(1);
    expect(result.output).toContain('error: 502 HTTP_502: Bad Gateway');
  });

  it.each([
    [['status'], 'GET /environments', environments],
    [['status', ENV], `GET /environments/${ENV}`, status],
    [['releases', ENV], `GET /environments/${ENV}/releases`, { releases: [release('COMPLETED', ['x'])] }],
    [['release', RELEASE_ID], `GET /releases/${RELEASE_ID}`, release('COMPLETED', ['x'])],
  ] as const)('%j prints the raw reply with --json', async (command, route, body) => {
    const result = await cli({ [route]: ok(body) }, ['--json', ...command]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.output)).toEqual(body);
  });

  it('tells a missing token from a wrong one after a 401, naming the URL it called', async () => {
    const refused = (message: string) => ({
      'GET /environments': { status: 401, body: { error: { code: 'UNAUTHENTICATED', message } } },
    });
    const missing = await cli(refused('no credentials'), ['status'], { env: {} });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain(
      `  sent no token to ${api?.url ?? '?'}: set CONDUCTOR_API_TOKEN or pass --token\n`,
    );
    await api?.close();
    const wrong = await cli(refused('the bearer token is not one this API knows'), ['status']);
    expect(wrong.output).toContain(
      `  sent the token from CONDUCTOR_API_TOKEN to ${api?.url ?? '?'}: is it this API's token, and the API's URL (--api or CONDUCTOR_API_URL)?\n`,
    );
    await api?.close();
    const flag = await cli(refused('the bearer token is not one this API knows'), ['status', '--token', 'x']);
    expect(flag.output).toContain('  sent the token from --token to ');
  });

  it('names the environments it knows when one is unknown, and repeats hints in the message as invoked', async () => {
    const body = {
      error: {
        code: 'NOT_FOUND',
        message: 'environment "cgap-mastertset" does not exist',
        details: [{ path: 'env', message: 'known environments: cgap-mastertest, cgap-prod' }],
      },
    };
    const result = await cli({ 'GET /environments/cgap-mastertset': { status: 404, body } }, [
      'status',
      'cgap-mastertset',
    ]);
    expect(result.output).toContain('  ENV: known environments: cgap-mastertest, cgap-prod\n');
    await api?.close();
    const hint = {
      error: { code: 'UNPROCESSABLE', message: 'version 1.4.0 is not built: run ecs-conductor build e 1.4.0' },
    };
    const npx = await cli(
      { [`POST /environments/${ENV}/deployments`]: { status: 422, body: hint } },
      ['deploy', ENV, '1.4.0'],
      {
        env: { CONDUCTOR_API_TOKEN: 't', npm_command: 'exec' },
      },
    );
    expect(npx.output).toContain('is not built: run npx ecs-conductor build e 1.4.0\n');
  });

  it('--json prints errors as JSON too, and exits 1', async () => {
    const result = await cli({}, ['--json', 'status', 'nowhere']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.output)).toMatchObject({
      error: { status: 404, code: 'NOT_FOUND', message: expect.stringContaining('/environments/nowhere') as unknown },
    });
  });

  it('says when the API cannot be reached', async () => {
    let output = '';
    const code = await main(
      ['node', 'ecs-conductor', '--api', 'http://127.0.0.1:9', 'status'],
      (text) => (output += text),
      { env: {} },
    );
    expect(code).toBe(1);
    expect(output).toMatch(/^error: cannot reach the API at http:\/\/127\.0\.0\.1:9: /);
  });

  it('has --help on every command', async () => {
    for (const command of [
      'status',
      'releases',
      'release',
      'build',
      'deploy',
      'rollback',
      'redeploy',
      'adopt',
      'scale',
      'watch',
    ]) {
      const result = await cli({}, [command, '--help']);
      expect(result.code).toBe(0);
      expect(result.output).toContain(`Usage: ecs-conductor ${command}`);
      expect(result.output).toContain('--json');
      expect(result.output).not.toContain('env-token');
    }
  });
});

describe('ecs-conductor approve, reject, deploy --override', () => {
  it.each([
    ['approve', 'approvals', 'DEPLOYING'],
    ['reject', 'rejections', 'BUILT'],
  ])('%s posts the version and reason and shows the release', async (verb, resource, state) => {
    const reply = { status: 200, body: release(state, ['release created', `gate approval ${verb}`]) };
    const result = await cli({ [`POST /environments/${ENV}/${resource}`]: reply }, [
      verb,
      ENV,
      '1.4.0',
      '--reason',
      'checked the canary',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests[0]?.body ?? '')).toEqual({ version: '1.4.0', reason: 'checked the canary' });
    expect(result.output).toContain(`release ${RELEASE_ID}: cgap-mastertest 1.4.0 ${state}`);
  });

  it('deploy --override sends the reason', async () => {
    const reply = { status: 202, body: release('DEPLOYING', ['release created', 'gate scan overridden']) };
    const result = await cli({ [`POST /environments/${ENV}/deployments`]: reply }, [
      'deploy',
      ENV,
      '1.4.0',
      '--override',
      'CVE not reachable',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests[0]?.body ?? '')).toEqual({
      version: '1.4.0',
      override: { reason: 'CVE not reachable' },
    });
  });

  it('shows the API’s refusal of an approval by the asker', async () => {
    const refusal = {
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message:
            'the deploy of 1.4.0 to cgap-mastertest must be approved by someone other than who asked for it (four eyes)',
          details: [],
        },
      },
    };
    const result = await cli({ [`POST /environments/${ENV}/approvals`]: refusal }, ['approve', ENV, '1.4.0']);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      // Wrapped at 100 columns, as every line of human output.
      'error: 403 FORBIDDEN: the deploy of 1.4.0 to cgap-mastertest must be approved by someone other than\n  who asked for it (four eyes)',
    );
  });
});

describe('ecs-conductor diff and deploy --dry-run', () => {
  const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/cgap-mastertest';
  const plan = {
    environment: ENV,
    version: '1.6.0',
    releaseId: RELEASE_ID,
    steps: [
      {
        kind: 'services',
        waitsForPrevious: false,
        targets: [{ name: 'wsgi', entrypoint: 'wsgi', imageTag: '1.6.0-wsgi', digest: `sha256:${'c'.repeat(64)}` }],
      },
      {
        kind: 'task',
        waitsForPrevious: true,
        targets: [{ name: 'deployment', entrypoint: 'deployment', imageTag: '1.6.0-deployment' }],
      },
    ],
    gates: ['scan: refuses findings at HIGH or above'],
    changes: [
      {
        kind: 'service',
        name: 'wsgi',
        container: 'app',
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-wsgi:3',
        imageBefore: `${URI}@sha256:${'b'.repeat(64)}`,
        imageAfter: `${URI}@sha256:${'c'.repeat(64)}`,
        settings: { environment: { WORKERS: '4', NOTE: `x${ESC}[31m${'y'.repeat(120)}` }, stopTimeout: 90 },
        settingsBefore: { environment: { WORKERS: '2' } },
        changes: true,
      },
      {
        kind: 'task',
        name: 'deployment',
        container: 'app',
        taskDefinition: null,
        imageBefore: null,
        imageAfter: `${URI}@sha256:${'d'.repeat(64)}`,
        settings: {},
        settingsBefore: {},
        changes: true,
      },
    ],
  };
  const routes = { [`GET /environments/${ENV}/deployments/plan`]: ok(plan) };

  it('diff asks the plan route and prints each change within 100 columns', async () => {
    const { code, output, requests } = await cli(routes, ['diff', ENV, '1.6.0']);
    expect(code).toBe(0);
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET /environments/${ENV}/deployments/plan?version=1.6.0`,
    ]);
    expect(output).toContain(
      `deploying 1.6.0 to ${ENV} (release ${RELEASE_ID}) would change\n2 of 2 containers (image or settings):\n` +
        `  service wsgi (container app)\n` +
        `    image        cgap-mastertest@sha256:bbbbbbbbbbbb → cgap-mastertest@sha256:cccccccccccc\n` +
        `    environment  WORKERS=4 (now 2)\n`,
    );
    expect(output).toContain('    stopTimeout  90s (not set now)\n  task deployment (container app)\n');
    expect(output).toContain('    image        (none) → cgap-mastertest@sha256:dddddddddddd\n');
    expect(output).toContain('gates:\n  scan: refuses findings at HIGH or above\nplan (2 steps, in order)\n');
    expect(output).toContain(`nothing was written; to deploy: ecs-conductor deploy ${ENV} 1.6.0\n`);
    expect(output).not.toContain(ESC);
    expect(Math.max(...output.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('deploy --dry-run prints the same plan and posts nothing; --json prints the reply', async () => {
    const dry = await cli(routes, ['deploy', ENV, '1.6.0', '--dry-run', '--task', 'initial-deployment']);
    expect(dry.code).toBe(0);
    expect(dry.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET /environments/${ENV}/deployments/plan?version=1.6.0&task=initial-deployment`,
    ]);
    expect(dry.output).toContain('nothing was written; to deploy:');
    await api?.close();
    const json = await cli(routes, ['--json', 'diff', ENV, '1.6.0']);
    expect(JSON.parse(json.output)).toEqual(plan);
  });
});
