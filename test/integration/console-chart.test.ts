import '../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScalingHistoryStore } from '../../src/aws/scaling-history-store.js';
import { stateTableDefinition } from '../../src/aws/state-table-definition.js';
import { startConsole } from '../../src/console/start.js';
import type { ConsoleServer } from '../../src/console/server.js';
import type { ScalingObservation } from '../../src/domain/scaling-history.js';
import { apiRoutes } from '../../src/handlers/routes/index.js';
import { openApiDocument } from '../../src/handlers/routes/openapi-document.js';
import { scalingHistoryRoute } from '../../src/handlers/routes/scaling-history.js';
import { createScalingHistoryRecorder } from '../../src/use-cases/record-scaling-history.js';
import { config } from '../../src/handlers/wiring.js';
import { collectPageErrors, keepScreenshot, launchChromium, skipWithoutChromium } from '../support/browser.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { completedRelease } from '../support/release-fixtures.js';
import { callRoute } from '../support/route-call.js';

/**
 * The queue chart in Chromium over two hours of history (console.test.ts draws a few minutes of it
 * from local mode's real autoscaler): the recorder writes the history into the emulator's DynamoDB and
 * the scaling-history route reads it. The rest of the API is a stand-in with fixed replies, which also
 * shows what local mode cannot produce: routine re-runs that keep failing.
 */
describe.skipIf(skipWithoutChromium)('the queue chart in Chromium', () => {
  const NOW = new Date();
  const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
  let api: FakeApi;
  let consoleServer: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  /** A queue that fills at once, is worked off by four tasks that take a minute to start, and empties again. */
  function observations(): ScalingObservation[] {
    return Array.from({ length: 120 }, (_, index) => {
      const minute = 120 - index;
      const busy = minute <= 80 && minute > 50;
      const desired = minute < 80 && minute >= 45 ? 4 : 1;
      const running = minute === 79 ? 2 : minute === 44 ? 2 : desired;
      const scaleOut = minute === 80;
      const scaleIn = minute === 45;
      return {
        environment: 'cgap-mastertest',
        queue: 'ingestion',
        at: minutesAgo(minute),
        backlog: {
          visible: busy ? Math.max(0, 40 - (80 - minute) * 2) : 0,
          inFlight: busy && !scaleOut ? 4 : 0,
          delayed: 0,
        },
        counts: { desired, running, pending: desired - running },
        decision: scaleOut
          ? {
              desiredCount: 4,
              change: true,
              reason: 'scale out: need 4 = ceil((40 visible + 0 in flight) / 1 per task) within [1, 4]',
            }
          : scaleIn
            ? { desiredCount: 1, change: true, reason: 'scale in: need 1 held for the 300 s window' }
            : { desiredCount: desired, change: false, reason: `keep ${desired}` },
      };
    });
  }

  /** 1.4.0, whose deployment task's last re-run failed: its build id and task ARN name real AWS resources. */
  function failedRerunRelease() {
    const release = completedRelease('cgap-mastertest', '1.4.0', minutesAgo(80 * 24 * 60 + 90));
    const wsgi = release.builds.wsgi;
    if (wsgi) wsgi.buildId = 'ecs-conductor-cgap-mastertest-build:5b1c2d3e-0f00-4a4a-9b9b-123456789abc';
    const at = minutesAgo(30).toISOString();
    release.timeline.push(
      { at, step: 'rerun started', detail: 'by schedule: run task deployment' },
      { at, step: 'task deployment running', detail: TASK_ARN },
    );
    return { ...release, id: 'rel-cgap-mastertest-1-4-0' };
  }
  const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/cgap-mastertest/0123456789abcdef0123456789abcdef';
  /** An operator's hold at 2, set after the autoscaler's last stored decision (scale in to 1). */
  const HOLD = {
    desiredCount: 2,
    until: new Date(NOW.getTime() + 20 * 60_000).toISOString(),
    by: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
  };
  const LAST_DECISION = {
    at: minutesAgo(45).toISOString(),
    desiredCount: 1,
    reason: 'scale in: need 1 held for the 300 s window',
  };

  beforeAll(async () => {
    const tableName = `chart-${randomUUID().slice(0, 8)}`;
    await new DynamoDBClient({}).send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: stateTableDefinition.KeySchema.map((key) => ({ ...key })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const store = createScalingHistoryStore(tableName);
    await createScalingHistoryRecorder(store, (error) => {
      throw error;
    }).observe(observations());
    const route = scalingHistoryRoute({ config, history: store, now: () => new Date() });
    const history = await callRoute(route, '/x?hours=6', 'arn:aws:iam::123456789012:role/cgap-release', {
      pathParameters: { env: 'cgap-mastertest', service: 'ingester' },
    });
    const queue = {
      key: 'ingestion',
      queue: 'cgap-mastertest-ingestion-queue',
      service: 'ingester',
      minTasks: 1,
      maxTasks: 4,
    };
    api = await startFakeApi({
      'GET /openapi.json': { status: 200, body: openApiDocument([...apiRoutes, route]) },
      'GET /environments/cgap-mastertest': {
        status: 200,
        body: {
          name: 'cgap-mastertest',
          cluster: 'cgap-mastertest',
          state: 'idle',
          health: 'Healthy',
          healthReason: 'images are named by tag, not digest, so no release is known: adopt records what runs',
          nextStep: null,
          rollbackTo: null,
          services: [],
          queues: [{ ...queue, visible: 0, inFlight: 0, delayed: 0, lastDecision: LAST_DECISION, hold: HOLD }],
          activeRelease: null,
          latestRelease: null,
          currentRelease: null,
          running: null,
          routineRedeploy: {
            task: 'deployment',
            everyDays: 80,
            lastRunAt: minutesAgo(80 * 24 * 60 + 90).toISOString(),
            nextDueAt: new Date(NOW.getTime() + 2 * 3_600_000).toISOString(),
            failuresInARow: 2,
            lastFailure: {
              at: minutesAgo(30).toISOString(),
              reason: 'task deployment exited 1 (DeploymentAction: KeyError: S3_ENCRYPT_KEY)',
              releaseId: 'rel-cgap-mastertest-1-4-0',
            },
          },
        },
      },
      'GET /releases/rel-cgap-mastertest-1-4-0': { status: 200, body: failedRerunRelease() },
      'GET /environments': {
        status: 200,
        body: {
          environments: [{ name: 'cgap-mastertest', cluster: 'cgap-mastertest', state: 'idle', activeRelease: null }],
        },
      },
      'GET /environments/cgap-mastertest/releases': { status: 200, body: { releases: [] } },
      'GET /environments/cgap-mastertest/services/ingester/scaling-history': { status: 200, body: history.json },
    });
    // As against a deployed API: signed with SigV4 (the stand-in does not check), in the region given.
    consoleServer = await startConsole({ api: { baseUrl: api.url, auth: 'sigv4', region: 'eu-west-1' }, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    pageErrors = collectPageErrors(page);
    await page.goto(consoleServer.url);
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    await consoleServer.close();
    await api.close();
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
  });

  it('says when the routine redeploy runs next and turns the card red while its re-runs fail', async () => {
    const card = page.getByRole('article', { name: 'environment cgap-mastertest' });
    await card.getByText(/next routine redeploy/).waitFor({ timeout: 15_000 });
    expect(await card.locator('.routine').innerText()).toMatch(
      // The time of day, with the date in front when it falls on another day (after midnight).
      /next routine redeploy\s+in 1h 5\dm \((?:[A-Z][a-z]{2} \d{1,2} \d\d:\d\d|\d\d:\d\d:\d\d)\)\s+✖ routine redeploy failed 2 times in a row \(30m \d\ds ago, release\): task deployment exited 1 \(DeploymentAction: KeyError: S3_ENCRYPT_KEY\)/i,
    );
    expect(await card.getAttribute('class')).toContain('card-bad');
    await card.getByRole('link', { name: 'release' }).click();
    // The failed re-run's release, with its build's and its task's logs a click away in the AWS console.
    await page.getByRole('heading', { name: /Release 1\.4\.0/ }).waitFor({ timeout: 10_000 });
    const links = await page.getByRole('link', { name: 'logs' }).all();
    const logs = await Promise.all(links.map((link) => link.getAttribute('href')));
    expect(logs).toEqual([
      'https://console.aws.amazon.com/ecs/v2/clusters/cgap-mastertest/tasks/0123456789abcdef0123456789abcdef/logs?region=us-east-1',
      'https://console.aws.amazon.com/codesuite/codebuild/projects/ecs-conductor-cgap-mastertest-build/build/ecs-conductor-cgap-mastertest-build%3A5b1c2d3e-0f00-4a4a-9b9b-123456789abc/log?region=eu-west-1',
    ]);
  });

  it('draws the messages beside the tasks and explains the scale-out decision on hover', async () => {
    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    const chart = page.getByRole('figure', { name: /queue ingestion and ingester tasks/ });
    await chart.locator('canvas').waitFor({ timeout: 15_000 });
    expect(await chart.locator('.u-legend').innerText()).toMatch(/visible[\s\S]*in flight[\s\S]*desired[\s\S]*running/);
    const plot = await chart.locator('.u-over').boundingBox();
    if (!plot) throw new Error('the chart has no plotting area');
    const tip = chart.locator('.decision-tip');
    let explained = '';
    for (let x = 0; x < plot.width && !explained.includes('scale out'); x += 3) {
      await page.mouse.move(plot.x + x, plot.y + plot.height / 2);
      explained = await tip.innerText();
    }
    expect(explained).toContain('1 → 4 tasks — scale out: need 4 = ceil((40 visible');
    await keepScreenshot(page, 'queue-chart', { fullPage: false });
    // The operator's hold is one of the decisions, after the autoscaler's two.
    await chart.getByText('3 scaling decisions, a manual hold among them').click();
    expect(await chart.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('1 → 4: scale out'),
      expect.stringContaining('4 → 1: scale in'),
      expect.stringMatching(/^now: held at 2 until .* by assumed-role\/ops\/alice \(manual hold/),
    ]);
  }, 60_000);

  it('shows a hold beside the autoscaler’s last decision without contradicting it', async () => {
    await page.goto(`${consoleServer.origin}/#/environments/cgap-mastertest`);
    const row = page.getByRole('row', { name: /ingestion/ });
    await row.getByText(/^held at 2 until/).waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(
      /held at 2 until ((\d+ \w+|\w+ \d+),? )?\d\d:\d\d(:\d\d)? by assumed-role\/ops\/alice\s+before the hold: 1 task, 45m \d\ds ago: scale in/,
    );
  }, 30_000);
});
