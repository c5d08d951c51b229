import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { startFakeApi, type FakeApi, type FakeReply, type FakeRoutes } from '../../support/fake-api.js';

/**
 * What the main commands print, as a person sees it in a terminal 100 columns wide (COLUMNS=100,
 * NO_COLOR): one file snapshot each under __snapshots__/output/, and no line over 100 columns but a
 * command to paste on a line of its own.
 * `status` has its own in render-status.test.ts.
 */
const ENV = 'cgap-mastertest';
const ID = 'rel-0123456789abcdef0123';
const BACK = 'rel-fedcba9876543210fedc';
const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/cgap-mastertest';
const WIDTH = 100;
let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function cli(routes: FakeRoutes, args: string[]): Promise<{ code: number; output: string }> {
  api = await startFakeApi(routes);
  let clock = 0;
  let output = '';
  const code = await main(['node', 'ecs-conductor', '--api', api.url, ...args], (text) => (output += text), {
    env: { CONDUCTOR_API_TOKEN: 't', COLUMNS: String(WIDTH), NO_COLOR: '1' },
    isTTY: false,
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  });
  return { code, output };
}

const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const at = (minute: number) => `2026-11-25T15:${String(minute).padStart(2, '0')}:00.000Z`;

function release(version: string, state: string, steps: string[], extra: Record<string, unknown> = {}) {
  return {
    id: ID,
    environment: ENV,
    version,
    sourceDigest: digest('a'),
    state,
    builds: Object.fromEntries(
      ['wsgi', 'indexer', 'ingester', 'deployment'].map((entrypoint, index) => [
        entrypoint,
        {
          imageTag: `${version}-${entrypoint}`,
          status: 'SUCCEEDED',
          buildId: `cgap-mastertest-build:${String(index)}f3c9a2e-1b7d-4e55-9a0c-2d8e6b1f4a70`,
          digest: digest(String(index + 1)),
        },
      ]),
    ),
    triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release',
    createdAt: at(0),
    updatedAt: at(steps.length),
    timeline: steps.map((step, index) => ({ at: at(index), step })),
    ...extra,
  };
}

const ok = (body: unknown): FakeReply => ({ status: 200, body });

async function expectSnapshot(name: string, { code, output }: { code: number; output: string }, exit = 0) {
  expect(code, output).toBe(exit);
  // A command to paste stands on a line of its own and is never broken (a cursor may be longer).
  const lines = output.split('\n').filter((line) => !/^ {2}ecs-conductor \S+( \S+)*$/.test(line));
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(WIDTH);
  await expect(output).toMatchFileSnapshot(`__snapshots__/output/${name}.txt`);
}

describe('the CLI at 100 columns', () => {
  it('releases: history newest first, a failed one with its reason, and the next page', async () => {
    const failure = {
      kind: 'task',
      step: 'run task deployment',
      reason: 'deployment task arn:aws:ecs:us-east-1:123456789012:task/cgap-mastertest/0f1e2d3c exited with code 3',
    };
    const page = {
      releases: [
        release('1.6.0', 'FAILED', ['release created', 'release built', 'release failed'], { failure }),
        { ...release('3f9c2ab', 'ROLLED_BACK', ['release created', 'rolled back']), id: 'rel-3f9c2ab3f9c2ab3f9c2a' },
        { ...release('1.5.0', 'COMPLETED', ['release created', 'release completed']), id: BACK },
        {
          ...release('adopted-0123456789ab', 'COMPLETED', ['adopted']),
          id: 'rel-adadadadadadadadadad',
          triggeredBy: 'arn:aws:sts::123456789012:assumed-role/cgap-developer-with-a-long-name/session',
        },
      ],
      cursor: 'eyJwayI6IlJFTEVBU0UjcmVsLWFkYWRhZGFkYWRhZGFkYWRhZGFkIn0',
    };
    await expectSnapshot(
      'releases',
      await cli({ [`GET /environments/${ENV}/releases`]: ok(page) }, ['releases', ENV, '--limit', '4']),
    );
  });

  it('watch: a line per change of a deploy that fails, then its automatic rollback', async () => {
    const rollback = (state: string, steps: string[]) => ({
      ...release('1.5.0', state, steps, {
        rollout: { kind: 'rollback', attempt: 1, stepIndex: 0, rollingBackFrom: ID },
      }),
      id: BACK,
    });
    const failure = { kind: 'task', step: 'run task deployment', reason: 'deployment task exited with code 3' };
    const routes: FakeRoutes = {
      [`GET /releases/${ID}`]: [
        ok(
          release('1.6.0', 'DEPLOYING', ['release created', 'release built', 'roll services wsgi, indexer, ingester']),
        ),
        ok(release('1.6.0', 'DEPLOYING', ['release created', 'release built', 'run task deployment'])),
        ok(release('1.6.0', 'FAILED', ['release created', 'release built', 'release failed'], { failure })),
      ],
      'GET /environments': ok({
        environments: [
          {
            name: ENV,
            cluster: ENV,
            state: 'deploying',
            activeRelease: {
              id: BACK,
              version: '1.5.0',
              state: 'DEPLOYING',
              currentStep: 'roll services',
              updatedAt: at(4),
            },
          },
        ],
      }),
      [`GET /releases/${BACK}`]: [
        ok(rollback('DEPLOYING', ['roll services wsgi, indexer, ingester'])),
        ok(rollback('COMPLETED', ['roll services wsgi, indexer, ingester', 'release completed'])),
      ],
    };
    await expectSnapshot('watch-failed-then-rolled-back', await cli(routes, ['watch', ID]), 1);
  });

  it('abort: the release stopped, who and why, and what ECS rolls back to', async () => {
    const failure = {
      kind: 'aborted',
      step: 'services wsgi, indexer, ingester',
      reason: 'aborted by arn:aws:iam::123456789012:role/cgap-release at 2026-11-25T15:02:00.000Z: wrong branch',
      aborted: {
        by: 'arn:aws:iam::123456789012:role/cgap-release',
        at: at(2),
        reason: 'wrong branch',
        rollsBackTo: `what ran before: 1.5.0 (${BACK})`,
      },
    };
    const steps = ['deploy started', 'rollout aborted', 'service wsgi stopped', 'release failed'];
    await expectSnapshot(
      'abort',
      await cli({ [`POST /environments/${ENV}/abort`]: ok(release('1.6.0', 'FAILED', steps, { failure })) }, [
        'abort',
        ENV,
        '--reason',
        'wrong branch',
      ]),
    );
  });

  it('scale: the count, the hold and how to end it', async () => {
    const by = 'arn:aws:iam::123456789012:role/cgap-release';
    const hold = { desiredCount: 3, until: '2026-11-25T16:00:00Z', by };
    const routes = {
      [`POST /environments/${ENV}/services/ingester/scale`]: ok({
        environment: ENV,
        service: 'ingester',
        desiredCount: 3,
        hold,
      }),
    };
    await expectSnapshot('scale', await cli(routes, `scale ${ENV} ingester 3 --hold-minutes 30`.split(' ')));
  });

  it('diff: each task definition’s change, the gates and the steps', async () => {
    const plan = {
      environment: ENV,
      version: '1.6.0',
      releaseId: ID,
      steps: [
        {
          kind: 'services',
          waitsForPrevious: false,
          targets: ['wsgi', 'indexer', 'ingester'].map((name, index) => ({
            name,
            entrypoint: name,
            imageTag: `1.6.0-${name}`,
            digest: digest(String(index + 5)),
          })),
        },
        {
          kind: 'task',
          waitsForPrevious: true,
          targets: [
            { name: 'deployment', entrypoint: 'deployment', imageTag: '1.6.0-deployment', digest: digest('8') },
          ],
        },
      ],
      gates: ['scan: refuses findings at HIGH or above', 'promotion: 1.6.0 must have completed in cgap-staging'],
      changes: [
        ...['wsgi', 'indexer', 'ingester'].map((name, index) => ({
          kind: 'service',
          name,
          container: 'app',
          taskDefinition: `arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-portal-${name}:41`,
          imageBefore: `${URI}@${digest(String(index + 1))}`,
          imageAfter: `${URI}@${digest(String(index + 5))}`,
          settings: name === 'ingester' ? { stopTimeout: 120 } : {},
          settingsBefore: {},
          changes: true,
        })),
        {
          kind: 'task',
          name: 'deployment',
          container: 'DeploymentAction',
          taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/cgap-mastertest-deployment:12',
          imageBefore: `${URI}:latest-deployment`,
          imageAfter: `${URI}@${digest('8')}`,
          settings: { environment: { ENCODED_ENV_NAME: ENV } },
          settingsBefore: { environment: { ENCODED_ENV_NAME: ENV } },
          changes: true,
        },
      ],
    };
    await expectSnapshot(
      'diff',
      await cli({ [`GET /environments/${ENV}/deployments/plan`]: ok(plan) }, ['diff', ENV, '1.6.0']),
    );
  });

  it('errors: a 409 naming the holder and what to do, a 422 with every field in the CLI’s words', async () => {
    // As the API answers a deploy while another rollout holds the environment (routes/refusals.ts).
    const conflict = {
      error: {
        code: 'CONFLICT',
        message: `environment ${ENV} is busy with release ${BACK}`,
        details: [{ path: 'environment', message: `active release ${BACK}` }],
      },
    };
    const refused = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'the request is not valid',
        details: [
          {
            path: 'body.version',
            message: 'no built release of 1.9.9 in cgap-mastertest; built: 1.5.0, 1.6.0, 3f9c2ab',
          },
          { path: 'body.task', message: 'unknown deployment task "migrate"; tasks: deployment, initial-deployment' },
        ],
      },
    };
    const routes: FakeRoutes = { [`POST /environments/${ENV}/deployments`]: [{ status: 409, body: conflict }] };
    const busy = await cli(routes, ['deploy', ENV, '1.6.0']);
    await api?.close();
    const invalid = await cli({ [`POST /environments/${ENV}/deployments`]: { status: 422, body: refused } }, [
      'deploy',
      ENV,
      '1.9.9',
      '--task',
      'migrate',
    ]);
    await expectSnapshot(
      'errors',
      { code: Math.max(busy.code, invalid.code), output: busy.output + invalid.output },
      1,
    );
  });
});
