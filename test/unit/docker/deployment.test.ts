import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
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

  it('runs the initial actions instead of the routine ones when ALLOW_DESTRUCTIVE_DEPLOYMENT names the environment', {
    timeout: 10_000,
  }, async () => {
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      ENV_NAME: 'cgap-test',
      INITIAL_DEPLOYMENT: 'true',
      ALLOW_DESTRUCTIVE_DEPLOYMENT: 'cgap-test',
      INITIAL_DEPLOYMENT_ACTIONS: actions('step wipe', 'step load-all'),
      DEPLOYMENT_ACTIONS: 'step routine',
    });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toEqual(['step wipe', 'step load-all']);
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

/**
 * The default actions against cgap-portal's own entrypoint_deployment.sh at the pinned commit
 * (test/fixtures/cgap/portal): both run with the same stand-in `poetry`, which journals its
 * arguments; ours must run exactly the commands cgap-portal's runs, in its order.
 */
describe("entrypoint_deployment.sh's defaults are cgap-portal's deployment", () => {
  const PINNED = resolve(import.meta.dirname, '../../fixtures/cgap/portal/deploy/docker/production');
  // cgap-portal's configuration step, as conductor.yml's image.configureCommand runs it for CGAP.
  const CONFIGURE = { CONFIGURE_COMMAND: 'poetry run python -m assume_identity' };

  async function commandsOf(
    script: string,
    env: Record<string, string>,
  ): Promise<{ code: number | null; commands: string[] }> {
    const sandbox = new Sandbox();
    try {
      sandbox.stub('poetry', 'journal "poetry $*"');
      const run = sandbox.start(script, env);
      const { code } = await run.exited;
      return { code, commands: sandbox.journal() };
    } finally {
      await sandbox.dispose();
    }
  }

  it('a routine deployment: the mapping, the two item types, the access keys', { timeout: 20_000 }, async () => {
    const theirs = await commandsOf(join(PINNED, 'entrypoint_deployment.sh'), { INITIAL_DEPLOYMENT: '' });
    const ours = await commandsOf('entrypoint_deployment.sh', { ...CONFIGURE, INITIAL_DEPLOYMENT: '' });

    expect(theirs.commands).toHaveLength(5);
    expect(ours).toEqual(theirs);
  });

  it('an initial deployment of cgap-supertest: the wipe, the mapping, all the data, the access keys', {
    timeout: 20_000,
  }, async () => {
    const theirs = await commandsOf(join(PINNED, 'entrypoint_deployment.sh'), { INITIAL_DEPLOYMENT: 'TRUE' });
    const ours = await commandsOf('entrypoint_deployment.sh', {
      ...CONFIGURE,
      INITIAL_DEPLOYMENT: 'TRUE',
      ENV_NAME: 'cgap-supertest',
      ALLOW_DESTRUCTIVE_DEPLOYMENT: 'cgap-supertest',
    });

    expect(theirs.commands).toContain(
      'poetry run clear-db-es-contents production.ini --app-name app --only-if-env cgap-supertest --allow-prod',
    );
    expect(ours).toEqual(theirs);
  });

  it("stops at a failing step, where cgap-portal's goes on and exits 0", { timeout: 20_000 }, async () => {
    const failing = (sandbox: Sandbox) =>
      sandbox.stub('poetry', 'journal "poetry $*"; case "$*" in *create-mapping*) exit 3 ;; esac');
    for (const [script, env, code, count] of [
      [join(PINNED, 'entrypoint_deployment.sh'), {}, 0, 5],
      ['entrypoint_deployment.sh', CONFIGURE, 3, 2],
    ] as const) {
      const sandbox = new Sandbox();
      try {
        failing(sandbox);
        expect(await sandbox.start(script, env).exited).toMatchObject({ code });
        expect(sandbox.journal()).toHaveLength(count);
      } finally {
        await sandbox.dispose();
      }
    }
  });
});
