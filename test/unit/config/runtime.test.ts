import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_OPERATOR_PRINCIPAL,
  loadAutoscaleSettings,
  loadLocalCallers,
  loadRuntimeSettings,
} from '../../../src/config/runtime.js';

const TABLE = { CONDUCTOR_TABLE: 'ecs-conductor-dev-state' };
const RELEASE = 'arn:aws:iam::123456789012:role/cgap-release';
const DEVELOPER = 'arn:aws:iam::123456789012:role/cgap-developer';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('loadRuntimeSettings', () => {
  it('takes the stage and table, the stage defaulting to local', () => {
    expect(loadRuntimeSettings({ ...TABLE, CONDUCTOR_STAGE: 'prod' })).toEqual({
      stage: 'prod',
      tableName: 'ecs-conductor-dev-state',
    });
    expect(loadRuntimeSettings(TABLE).stage).toBe('local');
  });

  it('names every bad variable at once', () => {
    expect(() => loadRuntimeSettings({ CONDUCTOR_STAGE: '', CONDUCTOR_TABLE: 'x' })).toThrow(
      'invalid conductor configuration:\n  CONDUCTOR_STAGE: must not be empty\n  CONDUCTOR_TABLE: must name the conductor state table',
    );
  });
});

describe('loadAutoscaleSettings', () => {
  it('defaults to a pass every 15 s and the EcsConductor namespace', () => {
    expect(loadAutoscaleSettings({})).toEqual({
      recheckSeconds: 15,
      tickQueue: 'ecs-conductor-local-autoscale-ticks',
      metricsNamespace: 'EcsConductor',
    });
    expect(loadAutoscaleSettings({ CONDUCTOR_STAGE: 'prod' }).tickQueue).toBe('ecs-conductor-prod-autoscale-ticks');
  });

  it.each([
    ['1', 1],
    ['7.5', 7.5],
    ['60', 60],
  ])('takes a recheck of %s seconds', (value, seconds) => {
    expect(loadAutoscaleSettings({ CONDUCTOR_AUTOSCALE_RECHECK_SECONDS: value }).recheckSeconds).toBe(seconds);
  });

  it.each(['', 'abc', 'NaN', '0', '0.5', '-5', '61', '1e1', ' 15', 'Infinity'])(
    'refuses a recheck of "%s" seconds, saying what it must be',
    (value) => {
      expect(() => loadAutoscaleSettings({ CONDUCTOR_AUTOSCALE_RECHECK_SECONDS: value })).toThrow(
        `CONDUCTOR_AUTOSCALE_RECHECK_SECONDS: must be a number of seconds from 1 to 60 (default 15), not "${value}"`,
      );
    },
  );

  it('takes a CloudWatch namespace and refuses what CloudWatch would', () => {
    expect(loadAutoscaleSettings({ POWERTOOLS_METRICS_NAMESPACE: 'Team/Ecs Conductor#1' }).metricsNamespace).toBe(
      'Team/Ecs Conductor#1',
    );
    for (const bad of ['', 'AWS/ECS', 'ünïcode', 'x'.repeat(256)]) {
      expect(() => loadAutoscaleSettings({ POWERTOOLS_METRICS_NAMESPACE: bad })).toThrow(
        /POWERTOOLS_METRICS_NAMESPACE: must be a CloudWatch namespace/,
      );
    }
  });

  it('stops the autoscale function at cold start on a bad recheck, instead of passes back to back', async () => {
    vi.stubEnv('CONDUCTOR_AUTOSCALE_RECHECK_SECONDS', 'fifteen');
    await expect(import('../../../src/handlers/autoscale.js')).rejects.toThrow(/CONDUCTOR_AUTOSCALE_RECHECK_SECONDS/);
    // A cold import of the handler's whole module graph (SDK clients, Powertools): over 5 s on a loaded CI lane.
  }, 30_000);
});

describe('loadLocalCallers', () => {
  it('has no callers by default (in AWS only SigV4 gets in)', () => {
    expect(loadLocalCallers({})).toEqual([]);
  });

  it('takes CONDUCTOR_API_TOKEN as the release role outside serverless-offline, or as CONDUCTOR_LOCAL_PRINCIPAL, and adds CONDUCTOR_API_TOKENS', () => {
    expect(loadLocalCallers({ CONDUCTOR_API_TOKEN: 't0' })).toEqual([{ token: 't0', principal: RELEASE }]);
    expect(
      loadLocalCallers({
        CONDUCTOR_API_TOKEN: 't0',
        CONDUCTOR_LOCAL_PRINCIPAL: DEVELOPER,
        CONDUCTOR_API_TOKENS: JSON.stringify({ t1: RELEASE }),
      }),
    ).toEqual([
      { token: 't0', principal: DEVELOPER },
      { token: 't1', principal: RELEASE },
    ]);
  });

  it('makes CONDUCTOR_API_TOKEN the all-access local operator under serverless-offline, unless told otherwise', () => {
    const operator = { token: 't0', principal: LOCAL_OPERATOR_PRINCIPAL, unrestricted: true };
    expect(loadLocalCallers({ CONDUCTOR_API_TOKEN: 't0', IS_OFFLINE: 'true' })).toEqual([operator]);
    // CONDUCTOR_API_TOKENS callers keep their principals and allow-lists beside it.
    expect(
      loadLocalCallers({
        CONDUCTOR_API_TOKEN: 't0',
        IS_OFFLINE: 'true',
        CONDUCTOR_API_TOKENS: '{"t1":"' + DEVELOPER + '"}',
      }),
    ).toEqual([operator, { token: 't1', principal: DEVELOPER }]);
    // Told otherwise: a principal of its own, or CONDUCTOR_API_TOKENS mapping the same token.
    expect(
      loadLocalCallers({ CONDUCTOR_API_TOKEN: 't0', IS_OFFLINE: 'true', CONDUCTOR_LOCAL_PRINCIPAL: DEVELOPER }),
    ).toEqual([{ token: 't0', principal: DEVELOPER }]);
    const mapped = loadLocalCallers({
      CONDUCTOR_API_TOKEN: 't0',
      IS_OFFLINE: 'true',
      CONDUCTOR_API_TOKENS: JSON.stringify({ t0: DEVELOPER }),
    });
    expect(mapped.some((caller) => caller.unrestricted)).toBe(false);
    expect(mapped.at(-1)).toEqual({ token: 't0', principal: DEVELOPER });
    // Not under serverless-offline (a Lambda in AWS): nothing widens.
    expect(loadLocalCallers({ CONDUCTOR_API_TOKEN: 't0', IS_OFFLINE: 'false' })).toEqual([
      { token: 't0', principal: RELEASE },
    ]);
  });

  it.each([
    [
      { CONDUCTOR_LOCAL_PRINCIPAL: 'admin' },
      'CONDUCTOR_LOCAL_PRINCIPAL: must be an IAM or STS principal ARN, not "admin"',
    ],
    [
      { CONDUCTOR_API_TOKENS: '{"secret-1": ' },
      'CONDUCTOR_API_TOKENS: must be a JSON object {"<token>": "<principal ARN>"}',
    ],
    [{ CONDUCTOR_API_TOKENS: '["secret-1"]' }, 'CONDUCTOR_API_TOKENS: must be a JSON object'],
    [
      { CONDUCTOR_API_TOKENS: JSON.stringify({ 'secret-1': RELEASE, 'secret-2': 7 }) },
      'CONDUCTOR_API_TOKENS: entry 2 must map a token to an IAM or STS principal ARN',
    ],
    [{ CONDUCTOR_API_TOKEN: 'secret 1' }, 'CONDUCTOR_API_TOKEN(S): 1 token(s) contain spaces'],
  ])('refuses %j without quoting a token', (env, message) => {
    let thrown: unknown;
    try {
      loadLocalCallers(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).not.toContain('secret');
  });
});
