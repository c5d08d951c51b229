import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import type { Release } from '../../../../src/domain/release.js';
import type { NamedEnvironment } from '../../../../src/domain/environment.js';
import { approvalRoutes } from '../../../../src/handlers/routes/approvals.js';
import type { ApiRouteSpec } from '../../../../src/handlers/routes/route.js';
import { deployRoute } from '../../../../src/handlers/routes/rollouts.js';
import { approveRelease, rejectRelease, type ApprovalAnswer } from '../../../../src/use-cases/approve-release.js';
import { scaleRoute } from '../../../../src/handlers/routes/scale.js';
import { deployVersion } from '../../../../src/use-cases/deploy-version.js';
import { holdServiceScale } from '../../../../src/use-cases/hold-service-scale.js';
import { NotDeployableError } from '../../../../src/use-cases/start-rollout.js';
import { inMemoryWorld } from '../../../support/in-memory-ports.js';
import { builtRelease } from '../../../support/release-fixtures.js';
import { aRelease } from '../../../support/release-pages.js';
import { jsonHeaders } from '../../../support/http-event.js';
import { callRoute } from '../../../support/route-call.js';

/** The routes over their real use cases: each refusal of the core reaches the caller as its status and body. */

const config = readConductorConfigFile('conductor.yml');
const ENV = 'cgap-mastertest';
const OPERATOR = 'arn:aws:iam::123456789012:role/cgap-release';
/** The role mastertest lets scale. */
const DEVELOPER = 'arn:aws:iam::123456789012:role/cgap-developer';
const pathParameters = { env: ENV };
const json = (body: unknown) => ({ headers: jsonHeaders('unused'), body: JSON.stringify(body) });
const reject = (error: Error) => () => Promise.reject(error);
const T0 = new Date('2026-11-25T16:00:00Z');

/** The deploy route over the real deploy-version use case, in a world holding `history`. */
function deploy(history: Release[], prepare: (world: ReturnType<typeof inMemoryWorld>) => void = () => undefined) {
  const world = inMemoryWorld({ now: T0 });
  for (const release of history) world.put(release);
  prepare(world);
  const route = deployRoute({
    config,
    deployVersion: (target, request) => deployVersion(world.ports(request.requestId), target, request),
    rollBack: reject(new Error('not called')),
    redeploy: reject(new Error('not called')),
    abort: reject(new Error('not called')),
  });
  return (body: unknown) =>
    callRoute(route, `/environments/${ENV}/deployments`, OPERATOR, { pathParameters, ...json(body) });
}

function scale(save: () => Promise<boolean> = () => Promise.resolve(true)) {
  const route = scaleRoute({
    config,
    holdServiceScale: (target, request) =>
      holdServiceScale(
        {
          scaling: { get: () => Promise.resolve(undefined), save },
          services: { setDesiredCount: () => Promise.resolve() },
          clock: { now: () => new Date('2026-11-25T15:00:00.000Z') },
          pause: () => Promise.resolve(),
        },
        target,
        request,
      ),
    endServiceHold: reject(new Error('not called')),
  });
  return (service: string, body: unknown) =>
    callRoute(route, `/environments/${ENV}/services/${service}/scale`, DEVELOPER, {
      pathParameters: { env: ENV, service },
      ...json(body),
    });
}

describe('POST /environments/{env}/deployments', () => {
  it('answers 202 with the release rolling out and where to follow it', async () => {
    const built = builtRelease(ENV, '1.4.0', T0);
    const reply = await deploy([built])({ version: '1.4.0' });
    expect(reply).toMatchObject({
      statusCode: 202,
      headers: { location: `/releases/${built.id}` },
      json: { id: built.id, state: 'DEPLOYING' },
    });
  });

  it.each([
    [
      'a task the environment lacks',
      [aRelease({ id: 'rel-1' })],
      { version: '1.4.0', task: 'drop-database' },
      [422, 'INVALID_REQUEST', 'the request body is invalid', 'body.task', 'unknown deployment task "drop-database"'],
    ],
    [
      'a destructive task confirmed for another environment',
      [aRelease({ id: 'rel-1' })],
      { version: '1.4.0', task: 'initial-deployment', confirm: 'cgap-prod' },
      [
        422,
        'CONFIRMATION_REQUIRED',
        'task initial-deployment is destructive',
        'body.confirm',
        `must be "${ENV}" to run the destructive task initial-deployment`,
      ],
    ],
    [
      'a version still building',
      [aRelease({ id: 'rel-1', state: 'BUILDING' })],
      { version: '1.4.0' },
      [409, 'CONFLICT', 'release 1.4.0 is still building', 'body.version', 'still building'],
    ],
    [
      'a version never built',
      [],
      { version: '1.4.0' },
      [
        422,
        'NOT_DEPLOYABLE',
        'version 1.4.0 was never built in environment cgap-mastertest; build it before deploying it',
        'body.version',
        'build it first: POST /environments/cgap-mastertest/builds {"version": "1.4.0"}, or with the CLI: ecs-conductor build cgap-mastertest 1.4.0',
      ],
    ],
    [
      'a version whose build failed',
      [aRelease({ id: 'rel-1', state: 'FAILED', failure: { kind: 'build', step: 'build wsgi', reason: 'x' } })],
      { version: '1.4.0' },
      [
        422,
        'NOT_DEPLOYABLE',
        'the build of version 1.4.0 failed; build it again before deploying it',
        'body.version',
        'build it again: POST /environments/cgap-mastertest/builds {"version": "1.4.0"}, or with the CLI: ecs-conductor build cgap-mastertest 1.4.0',
      ],
    ],
  ] as const)('refuses %s', async (_name, history, body, [statusCode, code, message, path, detail]) => {
    await expect(deploy([...history])(body)).rejects.toMatchObject({
      statusCode,
      code,
      message,
      details: [{ path, message: detail }],
    });
  });

  it('answers 409 naming the active release when another rollout holds the environment, 422 when ECS has nothing to roll', async () => {
    const busy = deploy([builtRelease(ENV, '1.4.0', T0)], (world) =>
      world.state.locks.acquire(ENV, 'rel-busy@other-request', 600, T0),
    );
    await expect(busy({ version: '1.4.0' })).rejects.toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      details: [{ path: 'environment', message: 'active release rel-busy' }],
    });
    const empty = deployRoute({
      config,
      deployVersion: reject(new NotDeployableError('nothing to roll out', 'version')),
      rollBack: reject(new Error('not called')),
      redeploy: reject(new Error('not called')),
      abort: reject(new Error('not called')),
    });
    const call = (body: unknown) =>
      callRoute(empty, `/environments/${ENV}/deployments`, OPERATOR, { pathParameters, ...json(body) });
    await expect(call({ version: '1.4.0' })).rejects.toMatchObject({
      statusCode: 422,
      code: 'NOT_DEPLOYABLE',
      details: [{ path: 'body.version', message: 'nothing to roll out' }],
    });
  });
});

describe('POST /environments/{env}/services/{service}/scale', () => {
  it('answers 202 with the count and its hold', async () => {
    const reply = await scale()('ingester', { desiredCount: 2, holdMinutes: 10 });
    expect(reply).toMatchObject({
      statusCode: 202,
      json: {
        environment: ENV,
        service: 'ingester',
        desiredCount: 2,
        hold: { desiredCount: 2, until: '2026-11-25T15:10:00.000Z', by: DEVELOPER },
      },
    });
  });

  it.each([
    [
      'a service that reads no queue',
      'wsgi',
      { desiredCount: 2 },
      [422, 'NOT_SCALABLE', 'service', 'has no queue in the config'],
    ],
    [
      'a count out of bounds',
      'ingester',
      { desiredCount: 9 },
      [422, 'INVALID_REQUEST', 'body.desiredCount', 'must be within [1, 4] for ingester'],
    ],
  ] as const)('refuses %s', async (_name, service, body, [statusCode, code, path, message]) => {
    await expect(scale()(service, body)).rejects.toMatchObject({ statusCode, code, details: [{ path, message }] });
  });

  it('answers 404 for an unknown service before reading the body, and 409 when the record keeps changing', async () => {
    await expect(scale()('worker', 'not an object')).rejects.toMatchObject({
      statusCode: 404,
      message: `service "worker" in environment ${ENV} does not exist`,
    });
    await expect(scale(() => Promise.resolve(false))('ingester', { desiredCount: 2 })).rejects.toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      message: 'the scaling state of ingestion kept changing; retry',
    });
  });
});

describe('POST /environments/{env}/deployments with release gates', () => {
  const env = config.environments[ENV];
  if (!env) throw new Error(`conductor.yml has no ${ENV}`);
  const gatedConfig = {
    environments: {
      ...config.environments,
      [ENV]: {
        ...env,
        gates: { scan: { failAt: 'HIGH' as const, waitSeconds: 0, scanner: 'basic' as const }, override: [] },
      },
    },
  };

  function gatedDeploy(prepare: (world: ReturnType<typeof inMemoryWorld>) => void, caller = OPERATOR) {
    const world = inMemoryWorld({ now: T0 });
    const built = builtRelease(ENV, '1.4.0', T0);
    world.put(built);
    prepare(world);
    const route = deployRoute({
      config: gatedConfig,
      deployVersion: (target, request) => deployVersion(world.ports(request.requestId), target, request),
      rollBack: reject(new Error('not called')),
      redeploy: reject(new Error('not called')),
      abort: reject(new Error('not called')),
    });
    return (body: unknown) =>
      callRoute(route, `/environments/${ENV}/deployments`, caller, { pathParameters, ...json(body) });
  }

  it('answers 422 GATE_REFUSED naming the gate and its evidence', async () => {
    const call = gatedDeploy((world) => {
      for (const build of Object.values(builtRelease(ENV, '1.4.0', T0).builds)) {
        world.aws.scans.set(build.digest ?? '', { status: 'COMPLETE', counts: { HIGH: 1 } });
      }
    });
    await expect(call({ version: '1.4.0' })).rejects.toMatchObject({
      statusCode: 422,
      code: 'GATE_REFUSED',
      details: [
        { path: 'gates.scan', message: expect.stringMatching(/has findings at or above HIGH: HIGH 1$/) as string },
      ],
    });
  });

  it('answers 403 to an override asked by a principal not on the override list', async () => {
    const call = gatedDeploy(() => undefined);
    await expect(call({ version: '1.4.0', override: { reason: 'urgent fix' } })).rejects.toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
      details: [{ path: 'body.override', message: `not on the gates.override list of ${ENV}` }],
    });
  });
});

describe('POST /environments/{env}/approvals and /rejections', () => {
  const env = config.environments[ENV];
  if (!env) throw new Error(`conductor.yml has no ${ENV}`);
  const approver = 'arn:aws:iam::123456789012:role/cgap-approver';
  const gates = { approval: { approve: [approver, OPERATOR], fourEyes: true, expiresAfterMinutes: 60 }, override: [] };
  const gatedEnv = { ...env, gates };
  const gatedConfig = { environments: { ...config.environments, [ENV]: gatedEnv } };

  async function waitingWorld() {
    const world = inMemoryWorld({ now: T0 });
    world.put(builtRelease(ENV, '1.4.0', T0));
    await deployVersion(
      world.ports('req-ask'),
      { name: ENV, env: gatedEnv },
      {
        version: '1.4.0',
        triggeredBy: OPERATOR,
        requestId: 'req-ask',
      },
    );
    const deps = {
      config: gatedConfig,
      approve: (target: NamedEnvironment, answer: ApprovalAnswer) => approveRelease(world.ports('a'), target, answer),
      reject: (target: NamedEnvironment, answer: ApprovalAnswer) => rejectRelease(world.ports('r'), target, answer),
    };
    const call = (route: ApiRouteSpec, path: string, caller: string) =>
      callRoute(route, `/environments/${ENV}/${path}`, caller, { pathParameters, ...json({ version: '1.4.0' }) });
    const [approveRoute, rejectRoute] = approvalRoutes(deps);
    if (!approveRoute || !rejectRoute) throw new Error('approval routes missing');
    return {
      approve: (caller: string) => call(approveRoute, 'approvals', caller),
      reject: (caller: string) => call(rejectRoute, 'rejections', caller),
    };
  }

  it('answers 202 with the release rolling out when an approver approves', async () => {
    const { approve } = await waitingWorld();
    expect(await approve(approver)).toMatchObject({ statusCode: 202, json: { state: 'DEPLOYING' } });
  });

  it('answers 403 to the asker when four eyes is on, and 409 once nothing waits', async () => {
    const { approve, reject } = await waitingWorld();
    await expect(approve(OPERATOR)).rejects.toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN',
      details: [{ path: 'gates.approval' }],
    });
    expect(await reject(approver)).toMatchObject({ statusCode: 200, json: { state: 'BUILT' } });
    await expect(approve(approver)).rejects.toMatchObject({ statusCode: 409, code: 'CONFLICT' });
  });
});
