import { emulatorEndpoint } from '../../support/aws-env.js';
import { ECRClient } from '@aws-sdk/client-ecr';
import { readFileSync } from 'node:fs';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseIdFor, type Release } from '../../../src/domain/release.js';
import { releaseViewSchema } from '../../../src/contract/api.js';
import { buildStateEvent, ENVIRONMENT, taskStoppedEvent } from '../../support/conductor-harness.js';
import { pushImage } from '../../../src/local/images.js';
import { startFaultHarness, type FaultHarness, type HandlerName } from '../../support/fault-harness.js';
import { emptyFigures, writeFigures } from '../../support/reliability-figures.js';
import { setTaskProgression } from '../../../scripts/lib/emulator.js';

/**
 * Issue #7 part 4: with 30 % of AWS calls failing (throttles, 500s, dropped connections, and answers
 * lost after the write took effect) and some delayed, releases driven by events — redelivered when a
 * handler throws, as Lambda's async retries do, and some lost outright — and by reconcile ticks all
 * end COMPLETED or FAILED with a reason, with no build or task started twice, no service rolled to a
 * revision no release recorded, and every release record intact.
 */

const SEED = 20261125;
const FAILURE_RATE = 0.3;
/** Lambda's async invocation: the first try and two retries, then the event is gone (to the DLQ). */
const DELIVERY_ATTEMPTS = 3;
const RECONCILE_TICKS = 12;
/**
 * Past this, no more ticks: what has not settled counts as stuck. Each release takes 15–30 s here
 * (30 % of calls fail and adaptive retry slows the clients after each throttle), so three fit with room.
 */
const DRIVE_BUDGET_MS = 120_000;
let deadline = Number.POSITIVE_INFINITY;
const ENTRYPOINTS = ['wsgi', 'indexer', 'ingester', 'deployment'];
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
  detail: Record<string, unknown>;
};
const ecr = new ECRClient({ endpoint: emulatorEndpoint });
const figures = emptyFigures();
let harness: FaultHarness;

type Plan = 'completes' | 'task exits 3' | 'indexer build fails';
// Three releases keep the run near a minute: the clients' adaptive retry slows every call after a throttle.
const PLANS: Plan[] = ['indexer build fails', 'completes', 'task exits 3'];

/** One event as Lambda delivers it asynchronously: retried while the handler throws, then dropped. */
async function deliver(name: HandlerName, event: unknown): Promise<boolean> {
  for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS; attempt += 1) {
    try {
      await harness.invoke(name, event);
      return true;
    } catch {
      if (attempt < DELIVERY_ATTEMPTS) figures.eventsDuplicated += 1;
    }
  }
  figures.eventsDropped += 1;
  return false;
}

async function release(id: string): Promise<Release | undefined> {
  return (await harness.releases.get(id))?.release;
}

const settled = (state: string | undefined) => state === 'COMPLETED' || state === 'FAILED';

/** Pushes a git SHA, delivers its push and build events (losing every third success), and returns its id. */
async function pushAndBuild(index: number, plan: Plan): Promise<string> {
  const sha = `${(Date.now() + index).toString(16)}${String(index)}`.padEnd(12, 'a').slice(0, 12);
  const digest = await pushImage(ecr, 'cgap-mastertest', sha);
  const id = releaseIdFor(ENVIRONMENT, digest, ENTRYPOINTS);
  // A push whose every delivery failed is lost for good (reconcile does not read ECR): deliver it
  // again, as an operator's build request would, so the rest of the run has something to drive.
  for (let round = 0; round < 5 && !(await release(id)); round += 1) {
    await deliver('onImagePush', {
      ...fixture,
      id: `evt-${sha}`,
      detail: { ...fixture.detail, 'image-tag': sha, 'image-digest': digest },
    });
  }
  for (
    let round = 0;
    round < 5 && Object.values((await release(id))?.builds ?? {}).some((build) => !build.buildId);
    round += 1
  ) {
    await deliver('onImagePush', {
      ...fixture,
      id: `evt-${sha}-again`,
      detail: { ...fixture.detail, 'image-tag': sha, 'image-digest': digest },
    });
  }
  const building = await release(id);
  if (!building) throw new Error(`release of ${sha} was never recorded`);
  let sent = 0;
  for (const [entrypoint, build] of Object.entries(building.builds)) {
    const fails = plan === 'indexer build fails' && entrypoint === 'indexer';
    if (!fails) await pushImage(ecr, 'cgap-mastertest', build.imageTag);
    sent += 1;
    // A lost SUCCEEDED event is recovered by reconcile (CodeBuild's status); a failure is always sent.
    if (!fails && sent % 3 === 0) {
      figures.eventsDropped += 1;
      continue;
    }
    await deliver('onBuildStateChange', buildStateEvent(build.buildId ?? '', fails ? 'FAILED' : 'SUCCEEDED'));
  }
  return id;
}

/** Reconcile ticks, and the deployment task's STOPPED event once it runs, until the release settles. */
async function settle(id: string, plan: Plan): Promise<Release | undefined> {
  const stoppedSent = new Set<string>();
  for (let tick = 0; tick < RECONCILE_TICKS && Date.now() < deadline; tick += 1) {
    const current = await release(id);
    if (settled(current?.state)) return current;
    const taskArn = current?.state === 'DEPLOYING' ? current.rollout?.tasks.deployment?.taskArn : undefined;
    if (taskArn && !stoppedSent.has(taskArn)) {
      stoppedSent.add(taskArn);
      await deliver(
        'onTaskStateChange',
        taskStoppedEvent(taskArn, id, [{ name: 'app', exitCode: plan === 'task exits 3' ? 3 : 0 }]),
      );
      continue;
    }
    await deliver('reconcile', { source: 'aws.events', 'detail-type': 'Scheduled Event' });
  }
  return release(id);
}

beforeAll(async () => {
  harness = await startFaultHarness(SEED);
  await setTaskProgression(emulatorEndpoint, { progression: 'manual', times: 1000 });
}, 60_000);

/** Without faults, ends a rollout this file left running, so the environment's lock is free for the next file. */
async function finishLeftoverRollouts(ids: string[]): Promise<void> {
  for (let round = 0; round < 4; round += 1) {
    await harness.invoke('reconcile', { source: 'aws.events', 'detail-type': 'Scheduled Event' });
    for (const id of ids) {
      const current = await release(id);
      const taskArn = current?.state === 'DEPLOYING' ? current.rollout?.tasks.deployment?.taskArn : undefined;
      if (taskArn)
        await harness.invoke('onTaskStateChange', taskStoppedEvent(taskArn, id, [{ name: 'app', exitCode: 0 }]));
    }
  }
  // A rollout still going would hold the environment until its step timeout (30 min): free it, so the
  // test files after this one (they share the emulator) start with the environment free.
  await new DynamoDBClient({ endpoint: emulatorEndpoint }).send(
    new DeleteItemCommand({
      TableName: 'ecs-conductor-test-state',
      Key: { pk: { S: `ENV#${ENVIRONMENT}` }, sk: { S: 'LOCK' } },
    }),
  );
}

const driven: string[] = [];

afterAll(async () => {
  writeFigures('faults', figures);
  harness.proxy.configure({ failureRate: 0, latencyRate: 0 });
  await finishLeftoverRollouts(driven);
  await setTaskProgression(emulatorEndpoint, undefined);
  await harness.close();
});

describe(`AWS faults on ${String(FAILURE_RATE * 100)} % of calls`, () => {
  it('takes every release to COMPLETED or FAILED with a reason, starting nothing twice and losing nothing', async () => {
    // Throttles are a fifth of the failures: each one slows the shared client (adaptive retry's
    // client-side rate limiter), and more of them would stretch the run past two minutes.
    harness.proxy.configure({
      ...{ failureRate: FAILURE_RATE, throttleShare: 0.2, lostAnswerShare: 0.25 },
      ...{ latencyRate: 0.1, maxLatencyMs: 150 },
    });
    const outcomes: { id: string; plan: Plan; release: Release | undefined }[] = [];
    try {
      deadline = Date.now() + DRIVE_BUDGET_MS;
      for (const [index, plan] of PLANS.entries()) {
        if (Date.now() >= deadline) break;
        const id = await pushAndBuild(index, plan);
        driven.push(id);
        outcomes.push({ id, plan, release: await settle(id, plan) });
      }
    } finally {
      harness.proxy.configure({ failureRate: 0, latencyRate: 0 });
      const { faults } = harness.proxy;
      figures.faultsInjected = faults.throttle + faults['server-error'] + faults.drop + faults['lost-answer'];
    }

    figures.stuckReleases =
      PLANS.length - outcomes.filter(({ release: settledRelease }) => settled(settledRelease?.state)).length;
    const startBuilds = harness.proxy.forwardedBodies('StartBuild').map((body) => String(body.idempotencyToken));
    const runTasks = harness.proxy.forwardedBodies('RunTask').map((body) => String(body.clientToken));
    const repeats = (tokens: string[]) => tokens.length - new Set(tokens).size;
    figures.duplicateEffects = repeats(startBuilds) + repeats(runTasks);

    expect(
      harness.proxy.faults.throttle + harness.proxy.faults['server-error'] + harness.proxy.faults.drop,
    ).toBeGreaterThan(0);
    expect(harness.proxy.faults['lost-answer']).toBeGreaterThan(0);
    expect(outcomes.map(({ plan, release: settledRelease }) => [plan, settledRelease?.state])).toEqual([
      ['indexer build fails', 'FAILED'],
      ['completes', 'COMPLETED'],
      ['task exits 3', 'FAILED'],
    ]);
    for (const { release: settledRelease } of outcomes) {
      // Every record is there and parses with the API's release schema; a failure says why.
      releaseViewSchema.parse(settledRelease);
      if (settledRelease?.state === 'FAILED') expect(settledRelease.failure?.reason).toMatch(/\S/);
    }
    // One StartBuild per release and entrypoint, one RunTask per rollout attempt reached the emulator.
    expect(startBuilds).toHaveLength(new Set(startBuilds).size);
    expect(runTasks).toHaveLength(new Set(runTasks).size);
    // A retry reuses what the interrupted try made: never a client token with other parameters…
    expect(harness.proxy.tokenConflicts).toEqual([]);
    // …and never a second revision rolled out that the release does not name.
    const recorded = new Set(
      outcomes.flatMap(({ release: settledRelease }) =>
        Object.values(settledRelease?.rollout?.services ?? {}).flatMap((service) => service.taskDefinitionArn ?? []),
      ),
    );
    const rolledTo = harness.proxy
      .forwardedBodies('UpdateService')
      .flatMap((body) => (typeof body.taskDefinition === 'string' ? [body.taskDefinition] : []));
    expect(rolledTo.length).toBeGreaterThan(0);
    expect(rolledTo.filter((revision) => !recorded.has(revision))).toEqual([]);
  }, 150_000);
});
