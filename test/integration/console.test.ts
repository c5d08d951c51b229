import type { Browser, Page } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole } from '../../src/console/start.js';
import type { ConsoleServer } from '../../src/console/server.js';
import { collectPageErrors, keepScreenshot, launchChromium, skipWithoutChromium } from '../support/browser.js';
import { localApi, runAutoscaleSchedule, sendToQueue } from '../support/console-local.js';
import type { EnvironmentStatus } from '../../src/console/web/api-types.js';
import { pushToLocalMode } from '../support/local-push.js';
import { createSwitchStore } from '../../src/local/switch-store.js';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/**
 * The console in a real browser (Debian's Chromium, headless) against local mode, as an operator
 * uses it: `ecs-conductor console` in front of `npm start`'s API, pages followed live.
 */
describe.skipIf(skipWithoutChromium)('the operator console in Chromium', () => {
  let local: LocalModeInUse;
  let consoleServer: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let api: ReturnType<typeof localApi>;
  let pageErrors: string[];
  let loads = 0;

  beforeAll(async () => {
    local = await sharedLocalMode({ taskStopSeconds: 2, failingVersions: /^badc0de/ });
    api = localApi(local);
    // As deployed: the schedule starts the autoscaler's chain of ticks, and local mode plays them.
    await runAutoscaleSchedule(local);
    consoleServer = await startConsole({
      api: { baseUrl: local.endpoints.httpApi, token: local.token },
      port: 0,
      configPath: 'conductor.yml',
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page.on('load', () => (loads += 1));
    pageErrors = collectPageErrors(page);
    await page.goto(consoleServer.url);
  }, 240_000);

  afterAll(async () => {
    await browser.close();
    await consoleServer.close();
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
  }, 60_000);

  /** A manual hold as the console says it; its end carries its date when it falls after midnight. */
  const HELD_AT_2 = /held at 2 until ((\d+ \w+|\w+ \d+),? )?\d\d:\d\d(:\d\d)? by role\/local-operator/;
  const card = (name: string) => page.getByRole('article', { name: `environment ${name}` });
  const releaseItem = (version: string) => page.locator('ol.releases > li', { hasText: version });

  const releaseState = (id: string) => api.releaseState(id);
  /** Polls the API for up to two minutes until the release is in `state`; answers the state it saw last. */
  async function untilState(id: string, state: string): Promise<string> {
    let seen = await releaseState(id);
    for (let tries = 0; tries < 240 && seen !== state; tries += 1) {
      await sleep(500);
      seen = await releaseState(id);
    }
    return seen;
  }

  /**
   * Polls the API for up to two minutes until cgap-mastertest runs `version`; answers what it runs then.
   * A rollout's end marks its release COMPLETED before it records what the environment runs.
   */
  async function untilRunning(version: string): Promise<EnvironmentStatus['running']> {
    let running = (await api.status('cgap-mastertest')).running;
    for (let tries = 0; tries < 240 && running?.version !== version; tries += 1) {
      await sleep(500);
      running = (await api.status('cgap-mastertest')).running;
    }
    return running;
  }

  it('lists every seeded environment on the overview, each with its services against their counts', async () => {
    for (const name of Object.keys(local.config.environments)) {
      await card(name).getByText('wsgi').waitFor({ timeout: 30_000 });
      expect(await card(name).getByRole('list', { name: 'services' }).innerText()).toMatch(
        /wsgi\s+8\/8 running\s+of 8[\s\S]*indexer\s+4\/4 running\s+of 4/,
      );
    }
    expect(await page.locator('article.card').count()).toBe(Object.keys(local.config.environments).length);
  }, 60_000);

  it('shows a push on the environment page and follows its timeline until it is deployed, without a reload', async () => {
    await page.getByRole('link', { name: 'cgap-mastertest' }).click();
    await page.getByRole('heading', { name: 'cgap-mastertest', level: 1 }).waitFor();
    const loadsBefore = loads;
    const releaseId = await pushToLocalMode(local.endpoints, '0ddba11c0ffee');
    await releaseItem('0ddba11c0ffee').waitFor({ timeout: 30_000 });
    await releaseItem('0ddba11c0ffee').locator('summary .badge', { hasText: 'deployed' }).waitFor({ timeout: 120_000 });
    const timeline = await releaseItem('0ddba11c0ffee').locator('.timeline').innerText();
    for (const step of ['release built', 'deploy started', 'task deployment running', 'release completed'])
      expect(timeline).toContain(step);
    expect(await releaseState(releaseId)).toBe('COMPLETED');
    expect(loads).toBe(loadsBefore);
    await keepScreenshot(page, 'environment');
  }, 180_000);

  it('deploys a built version through the page: the plan first, then the confirmation, then the rollout', async () => {
    const releaseId = await pushToLocalMode(local.endpoints, '1.5.0');
    expect(await untilState(releaseId, 'BUILT')).toBe('BUILT');
    await releaseItem('1.5.0').locator('summary .badge', { hasText: 'built' }).waitFor({ timeout: 30_000 });

    // By keyboard: the button takes focus and Enter opens the dialog; Escape closes it untouched.
    await page.getByRole('button', { name: 'Deploy…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Deploy to cgap-mastertest' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await releaseState(releaseId)).toBe('BUILT');

    await page.getByRole('button', { name: 'Deploy…' }).click();
    expect(await dialog.getByRole('list', { name: 'rollout steps' }).innerText()).toMatch(
      /roll services wsgi, indexer, ingester\s+run task deployment/,
    );
    expect(await dialog.getByRole('combobox', { name: 'Version' }).inputValue()).toBe(releaseId);
    expect(await dialog.getByRole('combobox', { name: 'Version' }).innerText()).toMatch(
      /^1\.5\.0 — built, [\w ]+ ago\n0ddba11c0ffee — deployed, running now, /,
    );
    await keepScreenshot(page, 'deploy-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Deploy 1.5.0' }).click();

    await page.waitForURL(`**/#/releases/${releaseId}`, { timeout: 10_000 });
    await page.getByRole('list', { name: 'rollout steps' }).waitFor({ timeout: 10_000 });
    await page.locator('h1 .badge', { hasText: 'deployed' }).waitFor({ timeout: 120_000 });
    expect(await page.getByRole('list', { name: 'rollout steps' }).innerText()).toMatch(/roll services[\s\S]*run task/);
    expect(await releaseState(releaseId)).toBe('COMPLETED');
    await keepScreenshot(page, 'release');
  }, 240_000);

  it('asks for the environment’s name before a production action, and shows the API’s refusal in its words', async () => {
    await page.goto(`${consoleServer.origin}/#/environments/cgap-prod`);
    await page.getByRole('button', { name: 'Build…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Build a version of cgap-prod' });
    await dialog.getByRole('textbox', { name: 'Version (source image tag)' }).fill('9.9.9');
    const confirm = dialog.getByRole('button', { name: 'Start the builds' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: /Type cgap-prod to confirm/ }).fill('cgap-prod');
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    // No image 9.9.9 in the repository: the API answers 422 naming the field.
    const refusal = await dialog.getByRole('alert').innerText();
    expect(refusal).toMatch(/422 INVALID_REQUEST/);
    expect(refusal).toContain('body.version');
    await keepScreenshot(page, 'production-confirmation', { fullPage: false });
    await page.keyboard.press('Escape');
  }, 60_000);

  it('keeps a failed build in the history, said once in words, and the card on what runs', async () => {
    const running = (await api.status('cgap-mastertest')).running;
    const releaseId = await pushToLocalMode(local.endpoints, 'badc0de1');
    expect(await untilState(releaseId, 'FAILED')).toBe('FAILED');
    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    const failed = releaseItem('badc0de1');
    await failed.locator('summary .badge', { hasText: 'build failed' }).waitFor({ timeout: 30_000 });
    const summary = await failed.locator('summary').innerText();
    // Once: the badge and why, no state name, and the timeline does not repeat the reason.
    expect(summary).toMatch(/build failed\s+the \w+ build failed/);
    expect(summary.match(/the \w+ build failed/g)).toHaveLength(1);
    expect(await failed.innerText()).not.toMatch(/FAILED/);
    expect(await failed.locator('.timeline').innerText()).not.toMatch(/the \w+ build failed|build of/);
    await page.getByRole('link', { name: 'badc0de1' }).click();
    await page.locator('.facts', { hasText: 'failure' }).waitFor({ timeout: 10_000 });
    // Local mode emulates its builds: no link into the real AWS console, and it says why.
    expect(await page.locator('.facts').innerText()).toMatch(/no log: local mode emulates its builds/);
    expect(await page.locator('a[href*="console.aws.amazon.com"]').count()).toBe(0);
    await keepScreenshot(page, 'release-failed-build');

    await page.goto(`${consoleServer.origin}/#/`);
    const mastertest = card('cgap-mastertest');
    await mastertest
      .locator('.what-runs', { hasText: new RegExp(`${running?.version ?? ''}\\s+Healthy`) })
      .waitFor({ timeout: 30_000 });
    expect(await mastertest.innerText()).not.toMatch(/fail/i);
    expect(await mastertest.getAttribute('class')).not.toContain('card-bad');
    await keepScreenshot(page, 'overview');
    await page.emulateMedia({ colorScheme: 'dark' });
    await keepScreenshot(page, 'overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 90_000);

  it('holds a service through its scale action and ends the hold with its button, each confirmed by name in production', async () => {
    await page.goto(`${consoleServer.origin}/#/environments/cgap-prod`);
    const row = page.getByRole('row', { name: /ingestion/ });
    await row.getByRole('button', { name: 'Scale…' }).click();
    const scale = page.getByRole('dialog', { name: 'Scale ingester in cgap-prod' });
    await scale.getByRole('spinbutton', { name: /Tasks/ }).fill('2');
    await scale.getByRole('textbox', { name: /Type cgap-prod to confirm/ }).fill('cgap-prod');
    await scale.getByRole('button', { name: 'Set 2 and hold' }).click();
    await scale.waitFor({ state: 'detached' });
    await row.getByText(HELD_AT_2).waitFor({ timeout: 10_000 });
    expect((await api.status('cgap-prod')).queues[0]?.hold).toMatchObject({ desiredCount: 2 });

    await page.goto(`${consoleServer.origin}/#/`);
    await card('cgap-prod')
      .getByText(/held at 2 until/)
      .waitFor({ timeout: 10_000 });
    await page.goto(`${consoleServer.origin}/#/environments/cgap-prod`);

    await row.getByRole('button', { name: 'End hold…' }).click();
    const end = page.getByRole('dialog', { name: 'End the hold on ingester in cgap-prod' });
    expect(await end.innerText()).toMatch(HELD_AT_2);
    const confirm = end.getByRole('button', { name: 'End the hold' });
    expect(await confirm.isDisabled()).toBe(true);
    await end.getByRole('textbox', { name: /Type cgap-prod to confirm/ }).fill('cgap-prod');
    await confirm.click();
    await end.waitFor({ state: 'detached' });
    await row.getByText(/held at/).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await row.getByRole('button', { name: 'End hold…' }).count()).toBe(0);
    expect((await api.status('cgap-prod')).queues[0]?.hold).toBeNull();
  }, 60_000);

  it('runs the routine redeploy now: confirmed, then followed on the release page until the schedule restarts', async () => {
    const before = await api.status('cgap-mastertest');
    const running = before.running;
    if (!running || !before.routineRedeploy) throw new Error('cgap-mastertest runs no release with a routine task');
    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    await page.getByText(/next routine redeploy in 79d \d\dh/).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Routine redeploy now…' }).click();
    const dialog = page.getByRole('dialog', { name: "Run cgap-mastertest's routine deployment task now" });
    expect(await dialog.innerText()).toContain(`Runs task deployment of the running release ${running.version} again`);
    await dialog.getByRole('button', { name: 'Run it now' }).click();

    await page.waitForURL(`**/#/releases/${running.releaseId}`, { timeout: 10_000 });
    await page.locator('.timeline', { hasText: 'rerun started' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('list', { name: 'rollout steps' }).innerText()).toMatch(
      /^\s*\S*\s*run task deployment/,
    );
    await page.locator('h1 .badge', { hasText: 'deployed' }).waitFor({ timeout: 120_000 });
    expect(await page.locator('.timeline').innerText()).toMatch(/rerun started[\s\S]*task deployment running/);
    let after = await api.status('cgap-mastertest');
    for (
      let tries = 0;
      tries < 20 && after.routineRedeploy?.lastRunAt === before.routineRedeploy.lastRunAt;
      tries += 1
    ) {
      await sleep(500);
      after = await api.status('cgap-mastertest');
    }
    expect(Date.parse(after.routineRedeploy?.lastRunAt ?? '')).toBeGreaterThan(
      Date.parse(before.routineRedeploy.lastRunAt ?? ''),
    );
    expect(after.routineRedeploy?.failuresInARow).toBe(0);
  }, 180_000);

  it('draws queued messages beside the ingester’s tasks, and the autoscaler’s scale-out with its reason on hover', async () => {
    await sendToQueue(local, 'cgap-mastertest-ingestion-queue', 3);
    await runAutoscaleSchedule(local);
    let history = await api.scalingHistory('cgap-mastertest', 'ingester');
    for (let tries = 0; tries < 40 && !history.decisions.some((decision) => decision.to === 3); tries += 1) {
      await sleep(1000);
      history = await api.scalingHistory('cgap-mastertest', 'ingester');
    }
    expect(history.decisions).toContainEqual(expect.objectContaining({ from: 1, to: 3 }));

    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    const chart = page.getByRole('figure', { name: /queue ingestion and ingester tasks/ });
    await chart.locator('canvas').waitFor({ timeout: 15_000 });
    await chart.scrollIntoViewIfNeeded();
    const plot = await chart.locator('.u-over').boundingBox();
    if (!plot) throw new Error('the chart has no plotting area');
    let explained = '';
    for (let x = plot.width - 1; x >= 0 && !explained.includes('scale out'); x -= 2) {
      await page.mouse.move(plot.x + x, plot.y + plot.height / 2);
      explained = await chart.locator('.decision-tip').innerText();
    }
    expect(explained).toMatch(/1 → 3 tasks — scale out.*3 visible/);
    expect(await chart.locator('.u-legend').innerText()).toMatch(/visible\s*3\s*in flight[\s\S]*decision\s*3$/);
    await keepScreenshot(page, 'queue-chart-local', { fullPage: false });
  }, 90_000);

  it('shows what runs after a failed deploy, Degraded with the next step, then Healthy on the good deploy that follows', async () => {
    const switches = createSwitchStore(local.endpoints.emulator);
    try {
      // Services roll first, then the deployment task exits 3: the services run the failed release.
      await switches.put({ target: 'task', version: 'c0ffee31', exitCode: 3 });
      const failedId = await pushToLocalMode(local.endpoints, 'c0ffee31'); // a git SHA: deploys by itself
      expect(await untilState(failedId, 'FAILED')).toBe('FAILED');
    } finally {
      await switches.clear('c0ffee31');
      switches.destroy();
    }
    await page.goto(`${consoleServer.origin}/#/`);
    const mastertest = card('cgap-mastertest');
    await mastertest.locator('.what-runs', { hasText: /c0ffee31\s+Degraded/ }).waitFor({ timeout: 30_000 });
    expect(await mastertest.locator('.what-runs').innerText()).toMatch(
      /whose rollout failed[\s\S]*ecs-conductor rollback cgap-mastertest/i,
    );
    expect(await mastertest.getAttribute('class')).toContain('card-bad');

    const goodId = await pushToLocalMode(local.endpoints, 'c0ffee32');
    expect(await untilState(goodId, 'COMPLETED')).toBe('COMPLETED');
    expect((await untilRunning('c0ffee32'))?.version).toBe('c0ffee32');
    await mastertest.locator('.what-runs', { hasText: /c0ffee32\s+Healthy/ }).waitFor({ timeout: 30_000 });
    const shown = await mastertest.innerText();
    expect(shown).toMatch(/every service runs c0ffee32/);
    expect(shown).not.toMatch(/fail|c0ffee31/i);
    expect(await mastertest.getAttribute('class')).not.toContain('card-bad');
    await keepScreenshot(page, 'overview-after-failed-deploy');

    // The failed release stays in the history, in words.
    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    const failed = releaseItem('c0ffee31');
    await failed.locator('summary .badge', { hasText: 'deploy failed' }).waitFor({ timeout: 10_000 });
    expect(await failed.locator('summary').innerText()).toMatch(/deploy failed\s+.*exited with code 3/);
    await releaseItem('c0ffee32').locator('summary .badge', { hasText: 'deployed' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('table').first().innerText()).toMatch(/wsgi[\s\S]*c0ffee32\n[0-9a-f]{12}/);
    await keepScreenshot(page, 'environment-after-failed-deploy');
  }, 300_000);

  // Last: it leaves cgap-mastertest running an older release than the newest.
  it('rolls back from what runs to what ran before it, shown before it asks, then followed to its end', async () => {
    // 2.0.0 is built before c0ffee5eed1 but deployed after it: creation order is not the order they ran in.
    const newer = await pushToLocalMode(local.endpoints, '2.0.0');
    expect(await untilState(newer, 'BUILT')).toBe('BUILT');
    const older = await pushToLocalMode(local.endpoints, 'c0ffee5eed1'); // a git SHA: deploys by itself
    expect(await untilState(older, 'COMPLETED')).toBe('COMPLETED');
    await api.deploy('cgap-mastertest', '2.0.0');
    expect(await untilState(newer, 'COMPLETED')).toBe('COMPLETED');
    expect((await untilRunning('2.0.0'))?.version).toBe('2.0.0');

    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    await releaseItem('2.0.0').locator('summary .badge', { hasText: 'deployed' }).waitFor({ timeout: 10_000 });
    await page.locator('.summary', { hasText: /running\s+2\.0\.0/ }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Roll back…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll cgap-mastertest back' });
    expect(await dialog.locator('.from-to').innerText()).toBe('2.0.0 → c0ffee5eed1');
    await keepScreenshot(page, 'rollback-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();

    await page.waitForURL(`**/#/releases/${older}`, { timeout: 10_000 });
    await page.locator('.timeline', { hasText: 'rollback started' }).waitFor({ timeout: 10_000 });
    let running = (await api.status('cgap-mastertest')).running;
    for (let tries = 0; tries < 240 && running?.version !== 'c0ffee5eed1'; tries += 1) {
      await sleep(500);
      running = (await api.status('cgap-mastertest')).running;
    }
    expect(running).toMatchObject({ version: 'c0ffee5eed1', releaseId: older });
    // What runs is read from ECS: the services run c0ffee5eed1 before its rollout's task has ended.
    expect(await untilState(older, 'COMPLETED')).toBe('COMPLETED');
    // The rollback's end writes its own release COMPLETED first, then marks the release it replaced.
    expect(await untilState(newer, 'ROLLED_BACK')).toBe('ROLLED_BACK');
    await page.locator('h1 .badge', { hasText: 'deployed' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.timeline').innerText()).toMatch(/rollback started[\s\S]*release completed/);
  }, 420_000);
});
