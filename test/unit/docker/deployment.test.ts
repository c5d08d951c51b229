import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, terminate, waitUntil } from './sandbox.js';

/** Newline-separated actions, as a task definition would set DEPLOYMENT_ACTIONS. */
const actions = (...lines: string[]): string => lines.join('\n');

describe('entrypoint_deployment.sh', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox();
    // `step NAME [STATUS]` journals NAME and exits with STATUS.
    sandbox.stub('step', 'journal "step $1"; exit "${2:-0}"');
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('runs every action in order and exits 0 when all succeed', { timeout: 10_000 }, async () => {
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      DEPLOYMENT_ACTIONS: actions(
        'step mapping',
        '',
        '# comments and blank lines are skipped',
        '  step data  ',
        'step keys',
      ),
    });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toEqual(['step mapping', 'step data', 'step keys']);
    expect(deployment.output()).toMatch(/deployment finished: 3 actions succeeded/);
  });

  it("stops at the first failing action with that action's exit code", { timeout: 10_000 }, async () => {
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      DEPLOYMENT_ACTIONS: actions('step mapping', 'step data 5', 'step keys'),
    });

    expect(await deployment.exited).toMatchObject({ code: 5 });
    expect(sandbox.journal()).toEqual(['step mapping', 'step data']);
    expect(deployment.output()).toMatch(/action 2\/3 failed with status 5/);
  });

  it("runs CGAP's routine actions by default, without the destructive one", { timeout: 10_000 }, async () => {
    sandbox.stub('poetry', 'journal "poetry $*"');
    const deployment = sandbox.start('entrypoint_deployment.sh', { ENV_NAME: 'cgap-test' });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toEqual([
      'poetry run create-mapping-on-deploy production.ini --app-name app',
      'poetry run load-data production.ini --app-name app --prod',
      'poetry run load-access-keys production.ini --app-name app --secret-name ',
    ]);
  });

  it('refuses an initial deployment that is not explicitly allowed, running nothing', { timeout: 10_000 }, async () => {
    for (const allow of [undefined, 'cgap-prod']) {
      const deployment = sandbox.start('entrypoint_deployment.sh', {
        ENV_NAME: 'cgap-test',
        INITIAL_DEPLOYMENT: 'TRUE',
        INITIAL_DEPLOYMENT_ACTIONS: 'step wipe',
        DEPLOYMENT_ACTIONS: 'step mapping',
        ...(allow === undefined ? {} : { ALLOW_DESTRUCTIVE_DEPLOYMENT: allow }),
      });

      expect(await deployment.exited).toMatchObject({ code: 78 });
      expect(deployment.output()).toMatch(/refusing the initial deployment of 'cgap-test'/);
    }
    expect(sandbox.journal()).toEqual([]);
  });

  it('runs the destructive actions first when the environment is named in ALLOW_DESTRUCTIVE_DEPLOYMENT', {
    timeout: 10_000,
  }, async () => {
    sandbox.stub('poetry', 'journal "poetry $*"');
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      ENV_NAME: 'cgap-test',
      INITIAL_DEPLOYMENT: 'true',
      ALLOW_DESTRUCTIVE_DEPLOYMENT: 'cgap-test',
      DEPLOYMENT_ACTIONS: 'step mapping',
    });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toEqual([
      'poetry run clear-db-es-contents production.ini --app-name app --env cgap-test',
      'step mapping',
    ]);
  });

  it('rejects an INITIAL_DEPLOYMENT value that is neither true nor false', { timeout: 10_000 }, async () => {
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      INITIAL_DEPLOYMENT: 'yes',
      DEPLOYMENT_ACTIONS: 'step mapping',
    });

    expect(await deployment.exited).toMatchObject({ code: 78 });
    expect(sandbox.journal()).toEqual([]);
  });

  it('stops the running action and exits non-zero on SIGTERM', { timeout: 10_000 }, async () => {
    sandbox.stub(
      'slow-step',
      'trap \'journal "slow-step stopped"; exit 143\' TERM; journal "slow-step"; for _ in $(seq 100); do sleep 0.1; done',
    );
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      DEPLOYMENT_ACTIONS: actions('slow-step', 'step after'),
    });
    await waitUntil(() => sandbox.journal().includes('slow-step'), 'the slow action', deployment);

    const exit = await terminate(deployment);

    expect(exit).toMatchObject({ code: 143 });
    expect(exit.ms).toBeLessThan(2000);
    await waitUntil(() => sandbox.journal().includes('slow-step stopped'), 'the action to get SIGTERM', deployment);
    expect(sandbox.journal()).not.toContain('step after');
  });
});
