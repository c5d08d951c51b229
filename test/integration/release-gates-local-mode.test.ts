import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { emulatorClients } from '../../scripts/lib/emulator-clients.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMode } from '../../scripts/local.js';
import { GATES_CONFIG as CONFIG, gatesLocal, type ReleaseView } from '../support/gates-local.js';
import { collectPageErrors, launchChromium, skipWithoutChromium } from '../support/browser.js';
import type { Page } from 'playwright-core';
import { startConsole } from '../../src/console/start.js';
import { startLocalModeOn } from '../support/local-api.js';

/**
 * `CONDUCTOR_CONFIG=examples/release-gates/conductor.yml npm start`: production refuses a version with
 * a critical finding and one that did not complete in staging, waits for an approval, bakes with its
 * alarm watched, and rolls back by itself within seconds when the alarm goes to ALARM (set with the AWS
 * CLI; CloudWatch's state-change event, played by local mode, reaches onAlarmStateChange), through
 * the API, the CLI's `local scan`, `approve`, `watch` and `status`. Production's wsgi rolls out
 * blue/green: moto has no service deployments and invokes no hooks, so local mode plays them — the
 * stages, the hook Lambda's smoke check against the test listener it serves on 127.0.0.1:4100, and
 * ECS's rollback when the hook answers FAILED. production-pause approves at ECS's PAUSE hook before
 * production traffic (played, with ContinueServiceDeployment), and is aborted there in the console.
 */

const TEST_LISTENER = 'http://127.0.0.1:4100';

/** The alarm production's deploys watch (gates-production-{service}-5xx, for its wsgi). */
const ALARM = 'gates-production-wsgi-5xx';

/**
 * Sets the alarm's state as an operator would, with the AWS CLI against the emulator. moto 5.2.5
 * answers CloudWatch in its Query protocol only, and an AWS CLI whose botocore sends JSON to CloudWatch
 * (this machine's AWS CLI 1.45.11, botocore 1.43.11) gets a 500: then, as without a CLI on PATH, the
 * same SetAlarmState goes through the SDK in Query. Returns which way it went.
 */
async function setAlarmState(emulator: string, state: 'OK' | 'ALARM'): Promise<'aws cli' | 'sdk'> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  const args = ['--endpoint-url', emulator, 'cloudwatch', 'set-alarm-state', '--alarm-name', ALARM];
  try {
    await promisify(execFile)('aws', [...args, '--state-value', state, '--state-reason', 'test'], { env });
    return 'aws cli';
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    const protocolRefused = /SetAlarmState operation.*\(500\)|\(500\) when calling the SetAlarmState/.test(
      failure.stderr ?? '',
    );
    if (failure.code !== 'ENOENT' && !protocolRefused) throw error;
    const { cloudwatch } = emulatorClients(emulator);
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: 'test' }));
    return 'sdk';
  }
}

describe('release gates in local mode (examples/release-gates)', () => {
  let local: LocalMode;
  let ecs: ECSClient;

  beforeAll(async () => {
    local = await startLocalModeOn(CONFIG, 'gates-token');
    ecs = new ECSClient({ endpoint: local.endpoints.emulator, region: 'us-east-1' });
  }, 240_000);

  afterAll(async () => {
    ecs.destroy();
    await local.stop();
  }, 60_000);

  const wsgiTaskDefinition = async (environment = 'production') =>
    (
      await ecs.send(
        new DescribeServicesCommand({ cluster: `gates-${environment}`, services: [`gates-${environment}-wsgi`] }),
      )
    ).services?.[0]?.taskDefinition;

  const { api, cli, approve, push, settle, settleAfterBake, promoteAndApprove } = gatesLocal(() => local);

  /** Opens the console on an environment's page in Chromium, acts there, and checks the page threw nothing. */
  async function inConsole(environment: string, act: (page: Page) => Promise<void>): Promise<void> {
    const consoleServer = await startConsole({
      api: { baseUrl: local.endpoints.httpApi, token: local.token },
      port: 0,
      configPath: CONFIG,
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const pageErrors = collectPageErrors(page);
      await page.goto(consoleServer.url);
      await page.goto(`${consoleServer.origin}/#/environments/${environment}`);
      await act(page);
      expect(pageErrors, 'errors thrown in the page').toEqual([]);
    } finally {
      await browser.close();
      await consoleServer.close();
    }
  }

  it('refuses a version with a critical finding, naming the gate and its evidence', async () => {
    await push('1.0.0', 'production');
    const scanned = await cli(['local', 'scan', 'production', '1.0.0', '--critical', '1', '--config', CONFIG]);
    // Production declares Inspector's enhanced scanning: local scan plays its scan event.
    expect(scanned.output).toContain('scan of 1.0.0 in production: CRITICAL 1 (Inspector enhanced scan)');
    expect(scanned.code).toBe(0);

    const refused = await api('POST', '/environments/production/deployments', { version: '1.0.0' });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({
      error: {
        code: 'GATE_REFUSED',
        details: [
          {
            path: 'gates.scan',
            message: expect.stringContaining('has findings at or above CRITICAL: CRITICAL 1') as string,
          },
        ],
      },
    });
  }, 120_000);

  it.skipIf(skipWithoutChromium)(
    'lets an operator on the override list pass the scan in the console with a reason, then reject it there',
    async () => {
      await inConsole('production', async (page) => {
        await page.getByRole('button', { name: 'Deploy…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Deploy to production' });
        await dialog.getByRole('button', { name: 'Deploy 1.0.0' }).click();
        // 1.0.0 has a critical finding (the test before): refused, in the API's words.
        const refusal = await dialog.getByRole('alert').innerText();
        expect(refusal).toMatch(/422 GATE_REFUSED/);
        expect(refusal).toContain('gates.scan');

        await dialog.getByText('Override refusing release gates…').click();
        await dialog.getByRole('textbox', { name: /Reason/ }).fill('finding is a false positive (CVE triaged)');
        await dialog.getByRole('button', { name: 'Deploy 1.0.0' }).click();
        // The override passes the scan (and promotion); the approval gate still waits for an answer.
        await page.locator('h1 .badge', { hasText: 'waiting for approval' }).waitFor({ timeout: 30_000 });
        const releaseId = /#\/releases\/(rel-[0-9a-f]+)/.exec(page.url())?.[1] ?? '';
        // The release page says each gate's state: the scan overridden (by whom, why), promotion's
        // evidence, and the approval still waiting.
        const gates = page.getByRole('table', { name: 'release gates' });
        await gates.getByText('waiting for an answer').waitFor({ timeout: 10_000 });
        const gatesText = await gates.innerText();
        expect(gatesText).toMatch(/image scan\s+overridden .*has findings at or above CRITICAL: CRITICAL 1/);
        expect(gatesText).toContain('finding is a false positive (CVE triaged)');
        expect(gatesText).toMatch(/promotion\s+overridden/);
        expect(gatesText).toMatch(/approval\s+waiting for an answer/);
        expect((await api('GET', `/releases/${releaseId}`)).json).toMatchObject({
          state: 'AWAITING_APPROVAL',
          approval: {
            passes: expect.arrayContaining([
              expect.objectContaining({ gate: 'scan', outcome: 'overridden' }),
            ]) as unknown,
          },
        });

        await page.getByRole('button', { name: 'Reject…' }).click();
        const reject = page.getByRole('dialog', { name: 'Reject 1.0.0 in production' });
        await reject.getByRole('textbox', { name: /Reason/ }).fill('not without a fix');
        await reject.getByRole('button', { name: 'Reject', exact: true }).click();
        await page.locator('h1 .badge', { hasText: 'built' }).waitFor({ timeout: 30_000 });
        const rejected = (await api('GET', `/releases/${releaseId}`)).json as unknown as ReleaseView;
        expect(rejected.state).toBe('BUILT');
        // The override was recorded when given, whatever the approver answered.
        expect(rejected.timeline).toContainEqual(
          expect.objectContaining({
            step: 'gate scan overridden',
            detail: expect.stringContaining('finding is a false positive (CVE triaged)') as unknown,
          }),
        );
        expect(rejected.timeline).toContainEqual(
          expect.objectContaining({
            step: 'gate approval rejected',
            detail: expect.stringContaining('not without a fix') as unknown,
          }),
        );
      });
    },
    120_000,
  );

  it('refuses a version that did not complete in staging, then waits for approval once it did, and rolls out on approval', async () => {
    const stagingId = await push('2.0.0', 'staging');
    const clean = await cli(['local', 'scan', 'production', '2.0.0', '--config', CONFIG]);
    expect(clean.code).toBe(0);

    const early = await api('POST', '/environments/production/deployments', { version: '2.0.0' });
    expect(early).toMatchObject({
      status: 422,
      json: { error: { code: 'GATE_REFUSED', details: [{ path: 'gates.promotion' }] } },
    });

    expect((await api('POST', '/environments/staging/deployments', { version: '2.0.0' })).status).toBe(202);
    expect((await settle(stagingId)).state).toBe('COMPLETED');

    const asked = await api('POST', '/environments/production/deployments', { version: '2.0.0' });
    expect(asked).toMatchObject({ status: 202, json: { state: 'AWAITING_APPROVAL' } });
    const productionId = String(asked.json.id);

    const approved = await approve('2.0.0', 'staging is green');
    expect(approved.code).toBe(0);
    // Its services done, production bakes for half a minute with its alarm watched, holding the environment.
    const baking = await settle(productionId, ['BAKING', 'COMPLETED', 'FAILED', 'ROLLED_BACK']);
    expect(baking).toMatchObject({ state: 'BAKING', rollout: { watch: { alarms: [ALARM] } } });
    // A deploy asked meanwhile is refused, naming the baking release, before any gate or approval.
    const during = await api('POST', '/environments/production/deployments', { version: '1.0.0' });
    expect(during.status).toBe(409);
    expect(JSON.stringify(during.json)).toContain(
      `busy with release ${productionId} (BAKING until ${baking.rollout?.watch?.bakeUntil ?? '?'})`,
    );
    // Reconcile ends the bake once it is over (run at once here, as its one-minute schedule would): no
    // alarm, so the release completes.
    const done = await settleAfterBake(productionId);
    expect(done.state).toBe('COMPLETED');
    const steps = done.timeline.map((entry) => entry.step);
    for (const step of [
      'gate scan passed',
      'gate promotion passed',
      'gate approval awaited',
      'gate approval passed',
      `baking until ${baking.rollout?.watch?.bakeUntil ?? '?'}`,
      'bake passed',
    ]) {
      expect(steps).toContain(step);
    }
    // wsgi rolled out blue/green: local mode played ECS's stages and the conductor's hook smoke-checked
    // the new revision through the test listener before production traffic moved.
    expect(steps).toContain('service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check passed (200 /health, expected 200)');
    const rolling = done.timeline.find((entry) => entry.step === 'service wsgi rolling');
    expect(rolling?.detail).toMatch(/BLUE_GREEN deployment arn:aws:ecs:us-east-1:\d{12}:service-deployment\//);
    expect(await wsgiTaskDefinition()).toBe(done.rollout?.services.wsgi?.taskDefinitionArn);
    // `local scan` delivered Inspector's scan event (production declares enhanced scanning) to
    // onImagePush, which recorded it on the release.
    expect(done.timeline).toContainEqual(
      expect.objectContaining({
        step: 'image scan INITIAL_SCAN_COMPLETE',
        detail: expect.stringMatching(/no findings$/) as unknown,
      }),
    );
  }, 330_000);

  it('rolls production back by itself when its alarm goes to ALARM during the bake, and says which alarm', async () => {
    const productionId = await promoteAndApprove('3.0.0');
    expect((await settle(productionId, ['BAKING', 'COMPLETED', 'FAILED', 'ROLLED_BACK'])).state).toBe('BAKING');

    const setAt = Date.now();
    await setAlarmState(local.endpoints.emulator, 'ALARM');
    // No reconcile: CloudWatch's state-change event (local mode's event pump plays it) reaches
    // onAlarmStateChange, which fails the release and starts the rollback within seconds.
    let rollbackStartedAt: number | undefined;
    while (rollbackStartedAt === undefined && Date.now() - setAt < 30_000) {
      const seen = (await api('GET', `/releases/${productionId}`)).json as unknown as ReleaseView;
      if (seen.timeline.some((entry) => entry.step === 'automatic rollback started')) rollbackStartedAt = Date.now();
      else await sleep(250);
    }
    const secondsToRollback = ((rollbackStartedAt ?? Number.NaN) - setAt) / 1000;
    expect(secondsToRollback).toBeLessThan(20);

    const failed = await settle(productionId, ['ROLLED_BACK'], 150);
    expect(failed.failure).toMatchObject({
      kind: 'alarm',
      reason: expect.stringContaining(`alarm ${ALARM} went to ALARM at `) as string,
      alarm: { name: ALARM },
      rolledBackTo: { version: '2.0.0' },
    });
    const steps = failed.timeline.map((entry) => entry.step);
    expect(steps).toEqual(expect.arrayContaining([`alarm ${ALARM} in ALARM`, 'automatic rollback started']));
    // From the alarm's own StateUpdatedTimestamp to the release's decision and its rollback's start, as
    // the release records them (the test's polling and the AWS CLI's start-up left out).
    const recordedAt = (step: string) => Date.parse(failed.timeline.find((entry) => entry.step === step)?.at ?? '');
    const changedAt = Date.parse(failed.failure?.alarm?.changedAt ?? '');
    const decided = (recordedAt(`alarm ${ALARM} in ALARM`) - changedAt) / 1000;
    const started = (recordedAt('automatic rollback started') - changedAt) / 1000;
    console.info(
      `alarm in ALARM -> release failed ${decided.toFixed(1)} s, rollback started ${started.toFixed(1)} s ` +
        `(set-alarm-state -> rollback seen by the test ${secondsToRollback.toFixed(1)} s); reconcile's tick alone: 0-60 s`,
    );
    expect(started).toBeLessThan(15);

    const login = ['--api', local.endpoints.httpApi, '--token', local.token];
    const status = await cli([...login, 'status', 'production']);
    expect(status.output).toContain('running 2.0.0');
    expect(status.output).toContain(`last release 3.0.0 ROLLED_BACK: alarm ${ALARM} went to ALARM at`);
    expect(status.output).toContain('rolled back to 2.0.0');
    const watched = await cli([...login, 'watch', productionId]);
    expect(watched.code).toBe(1);
    expect(watched.output).toContain(`alarm ${ALARM} went to ALARM`);
    expect(watched.output).toContain('rolled back automatically to 2.0.0');

    // The CLI's own verb sets it back (it works whichever protocol an installed AWS CLI speaks).
    const reset = await cli(['local', 'alarm', ALARM, 'OK']);
    expect(reset.code).toBe(0);
    expect(reset.output).toMatch(new RegExp(`^alarm ${ALARM} OK since \\d{4}-`));
    const unknown = await cli(['local', 'alarm', 'gates-production-nope', 'ALARM']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('the emulator has no alarm gates-production-nope');
  }, 420_000);

  it('lets an operator roll back during a bake: the bake ends, naming who, and production goes back to 2.0.0', async () => {
    const productionId = await promoteAndApprove('4.0.0');
    expect((await settle(productionId, ['BAKING', 'COMPLETED', 'FAILED', 'ROLLED_BACK'])).state).toBe('BAKING');
    const asked = await api('POST', '/environments/production/rollback', { confirm: 'production' });
    expect(asked.status).toBe(202);
    const stopped = await settle(productionId, ['ROLLED_BACK'], 120);
    expect(stopped.failure).toMatchObject({
      kind: 'stopped',
      reason: expect.stringContaining('during the bake') as string,
    });
    expect(stopped.timeline.map((entry) => entry.step)).toContain('bake stopped');
    const status = await cli(['--api', local.endpoints.httpApi, '--token', local.token, 'status', 'production']);
    expect(status.output).toContain('running 2.0.0');
  }, 300_000);

  it('rolls wsgi back in ECS when its blue/green smoke check fails, and the release fails saying so', async () => {
    const before = await wsgiTaskDefinition();
    const failing = await fetch(`${TEST_LISTENER}/local/smoke?status=500`, { method: 'POST' });
    expect(failing.status).toBe(200);
    try {
      const failed = await settleAfterBake(await promoteAndApprove('5.0.0'));

      expect(failed.state).toBe('FAILED');
      expect(failed.failure?.reason).toBe(
        'service wsgi: ECS rolled the deployment back (ROLLBACK_SUCCESSFUL): lifecycle hook at POST_TEST_TRAFFIC_SHIFT answered FAILED',
      );
      expect(failed.timeline.map((entry) => entry.step)).toContain(
        'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check failed (500 /health, expected 200)',
      );
      // ECS put back what ran before (2.0.0's revision), not 5.0.0's.
      expect(await wsgiTaskDefinition()).toBe(before);
      expect(failed.rollout?.services.wsgi?.taskDefinitionArn).not.toBe(before);
    } finally {
      await fetch(`${TEST_LISTENER}/local/smoke?status=200`, { method: 'POST' });
    }
  }, 240_000);

  /** Pushes `version` and completes it in staging, so that production-pause's promotion gate passes. */
  async function staged(version: string): Promise<void> {
    const stagingId = await push(version, 'staging');
    expect((await api('POST', '/environments/staging/deployments', { version })).status).toBe(202);
    expect((await settle(stagingId)).state).toBe('COMPLETED');
  }

  /** Asks production-pause for `version`: it rolls out at once and waits at ECS's pause before production traffic. */
  async function pausedAtApproval(version: string): Promise<ReleaseView> {
    const asked = await api('POST', '/environments/production-pause/deployments', { version });
    expect(asked).toMatchObject({ status: 202, json: { state: 'DEPLOYING' } });
    return settle(String(asked.json.id), ['AWAITING_APPROVAL', 'COMPLETED', 'FAILED', 'ROLLED_BACK']);
  }

  it('production-pause: ECS pauses before production traffic for the approval, approve continues it; a second deploy is aborted at the pause in the console', async () => {
    const login = ['--api', local.endpoints.httpApi, '--token', local.token];
    await staged('6.0.0');
    const waiting = await pausedAtApproval('6.0.0');
    expect(waiting).toMatchObject({
      state: 'AWAITING_APPROVAL',
      approval: { pause: { service: 'wsgi', hookId: expect.stringMatching(/^ecs-pause-/) as string } },
    });
    // Green already serves the test listener: its smoke check passed at the stage ECS pauses at.
    const stepsWhileWaiting = waiting.timeline.map((entry) => entry.step);
    expect(stepsWhileWaiting).toContain(
      'service wsgi: POST_TEST_TRAFFIC_SHIFT → smoke check passed (200 /health, expected 200)',
    );
    expect(stepsWhileWaiting.at(-1)).toBe('gate approval awaited');
    // The pause holds the environment: another deploy is refused while it waits.
    expect((await api('POST', '/environments/production-pause/deployments', { version: '6.0.0' })).status).toBe(409);

    const approved = await cli([...login, 'approve', 'production-pause', '6.0.0', '--reason', 'green looks right']);
    expect(approved.code).toBe(0);
    const done = await settle(waiting.id);
    expect(done.state).toBe('COMPLETED');
    const steps = done.timeline.map((entry) => entry.step);
    // Smoke-checked, then awaited, then approved, all at the pause; production traffic moved only then.
    const order = ['smoke check passed', 'gate approval awaited', 'gate approval passed', 'services wsgi done'].map(
      (step) => steps.findIndex((seen) => seen.endsWith(step) || seen.includes(`${step} (`)),
    );
    expect(
      order.every((index, at) => index >= 0 && (at === 0 || index > (order[at - 1] ?? 0))),
      steps.join('\n'),
    ).toBe(true);
    const approvedRevision = done.rollout?.services.wsgi?.taskDefinitionArn;
    expect(await wsgiTaskDefinition('production-pause')).toBe(approvedRevision);

    await staged('7.0.0');
    const second = await pausedAtApproval('7.0.0');
    expect(second.state).toBe('AWAITING_APPROVAL');
    if (skipWithoutChromium) {
      expect((await cli([...login, 'abort', 'production-pause', '--reason', 'wrong build'])).code).toBe(0);
    } else {
      await inConsole('production-pause', async (page) => {
        await page.getByRole('button', { name: 'Abort…' }).click({ timeout: 30_000 });
        const dialog = page.getByRole('dialog', { name: 'Abort 7.0.0 in production-pause' });
        await dialog.getByRole('textbox', { name: /Reason/ }).fill('wrong build');
        await dialog.getByRole('button', { name: 'Abort', exact: true }).click();
        await page.locator('h1 .badge', { hasText: 'aborted' }).waitFor({ timeout: 30_000 });
      });
    }
    const aborted = await settle(second.id);
    expect(aborted.failure).toMatchObject({
      kind: 'aborted',
      reason: expect.stringMatching(/^aborted by .*local-operator at .*: wrong build$/) as string,
    });
    expect(aborted.timeline.map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['rollout aborted', 'service wsgi stopped']),
    );
    // StopServiceDeployment (ROLLBACK): ECS put back what ran before, 6.0.0's revision.
    expect(await wsgiTaskDefinition('production-pause')).toBe(approvedRevision);

    const status = await cli([...login, 'status', 'production-pause']);
    expect(status.output).toContain('running 6.0.0');
    expect(status.output).toContain('last release 7.0.0 FAILED: aborted by');
    expect(status.output).toContain('ECS rolls back to what ran before: 6.0.0');
    const watched = await cli([...login, 'watch', second.id]);
    expect(watched.code).toBe(1);
    expect(watched.output).toContain('ECS rolls back to what ran before: 6.0.0');
    // Asked again, the abort answers with the same release; where nothing moves, it says what runs.
    const again = await api('POST', '/environments/production-pause/abort', {});
    expect(again).toMatchObject({ status: 200, json: { id: second.id, failure: { kind: 'aborted' } } });
    const idle = await cli([...login, 'abort', 'staging']);
    expect(idle.code).toBe(1);
    expect(idle.output).toContain('nothing is rolling out in staging to abort: it runs 7.0.0');
  }, 300_000);
});
