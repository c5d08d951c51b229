import { emulatorEndpoint } from '../../support/aws-env.js';
import { CodeBuildClient, ListBuildsForProjectCommand } from '@aws-sdk/client-codebuild';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { releaseIdFor, type Release } from '../../../src/domain/release.js';
import {
  buildStateEvent,
  ENVIRONMENT,
  startConductorHarness,
  taskStoppedEvent,
  type ConductorHarness,
} from '../../support/conductor-harness.js';
import { pushImage } from '../../../src/local/images.js';
import { emptyFigures, writeFigures } from '../../support/reliability-figures.js';
import { setTaskProgression } from '../../../scripts/lib/emulator.js';

/**
 * Issue #7 parts 1 and 3: concurrent API calls and events delivered more than once (EventBridge is
 * at-least-once, and a retried Lambda delivers again) have their effect once.
 */

const ENTRYPOINTS = ['wsgi', 'indexer', 'ingester', 'deployment'];
const DELIVERIES = 5;
const codebuild = new CodeBuildClient({ endpoint: emulatorEndpoint });
const ecs = new ECSClient({ endpoint: emulatorEndpoint });
const ecr = new ECRClient({ endpoint: emulatorEndpoint });
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/events/ecr-push.json', import.meta.url), 'utf8')) as {
  detail: Record<string, unknown>;
};
const figures = emptyFigures();
let harness: ConductorHarness;
let versions = 0;

const nextVersion = () => `7.${String(process.pid % 1000)}.${String((versions += 1))}`;

async function buildCount(): Promise<number> {
  return (await codebuild.send(new ListBuildsForProjectCommand({ projectName: 'cgap-mastertest' }))).ids?.length ?? 0;
}

/**
 * Delivers one event `DELIVERIES` times at once, as duplicated deliveries may arrive. A delivery
 * refused because another is in progress (Powertools idempotency) is delivered again once the others
 * are done, as Lambda's async retry would; any other failure fails the test.
 */
async function deliverInParallel(deliver: (event: unknown) => Promise<unknown>, event: unknown): Promise<void> {
  figures.eventsDuplicated += DELIVERIES - 1;
  const outcomes = await Promise.allSettled(Array.from({ length: DELIVERIES }, () => deliver(event)));
  const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
  expect(refused.map((error) => error.name).filter((name) => name !== 'IdempotencyAlreadyInProgressError')).toEqual([]);
  for (let retry = 0; retry < refused.length; retry += 1) await deliver(event);
}

/** Counts an effect that happened `count` times where `due` were due (once by default). */
function once(count: number, due = 1): number {
  figures.duplicateEffects += Math.max(0, count - due);
  return count;
}

const countSteps = (release: Release, step: string) => release.timeline.filter((entry) => entry.step === step).length;

beforeAll(async () => {
  harness = await startConductorHarness();
  await setTaskProgression(emulatorEndpoint, { progression: 'manual', times: 1000 });
}, 60_000);

afterAll(async () => {
  writeFigures('concurrency', figures);
  await setTaskProgression(emulatorEndpoint, undefined);
  await harness.close();
});

beforeEach(() => {
  harness.proxy.calls.length = 0;
});

describe('concurrent API calls', () => {
  it('gives 20 parallel deploy requests one rollout and 19 409s naming it', async () => {
    const built = await harness.builtRelease(nextVersion());
    harness.proxy.calls.length = 0;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        harness.post(`/environments/${ENVIRONMENT}/deployments`, { version: built.version }),
      ),
    );

    figures.fiveXxSeen += responses.filter((response) => response.statusCode >= 500).length;
    expect(responses.filter((response) => response.statusCode === 202)).toHaveLength(1);
    const conflicts = responses.filter((response) => response.statusCode === 409);
    expect(conflicts).toHaveLength(19);
    for (const conflict of conflicts) {
      expect(conflict.json).toMatchObject({
        error: { code: 'CONFLICT', details: [{ path: 'environment', message: `active release ${built.id}` }] },
      });
    }
    expect(once(harness.proxy.bodiesOf('RunTask').length)).toBe(1);
    const release = await harness.release(built.id);
    await harness.onTaskStateChange(
      taskStoppedEvent(release.rollout?.tasks.deployment?.taskArn ?? '', release.id, [{ name: 'app', exitCode: 0 }]),
    );
    expect((await harness.release(built.id)).state).toBe('COMPLETED');
  });

  it('never leaves the ingester outside [min, max] under 20 parallel scale requests', async () => {
    const counts = [0, 1, 2, 3, 4, 5, -1, 4, 7, 2, 3, 1, 1000, 4, 2, 0, 3, 1, 2, 4];
    const responses = await Promise.all(
      counts.map((desiredCount) =>
        harness.post(`/environments/${ENVIRONMENT}/services/ingester/scale`, { desiredCount, holdMinutes: 1 }),
      ),
    );

    figures.fiveXxSeen += responses.filter((response) => response.statusCode >= 500).length;
    responses.forEach((response, index) => {
      const desired = counts[index] ?? -1;
      // In bounds: set, or 409 "retry" if the hold record stayed contended; out of bounds: refused.
      expect(desired >= 1 && desired <= 4 ? [202, 409] : [422]).toContain(response.statusCode);
    });
    const applied = harness.proxy.bodiesOf('UpdateService').map((body) => Number(body.desiredCount));
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.filter((count) => count < 1 || count > 4)).toEqual([]);
    const { services = [] } = await ecs.send(
      new DescribeServicesCommand({ cluster: ENVIRONMENT, services: ['cgap-mastertest-ingester'] }),
    );
    expect(services[0]?.desiredCount).toBeGreaterThanOrEqual(1);
    expect(services[0]?.desiredCount).toBeLessThanOrEqual(4);
  });
});

describe(`each event delivered ${String(DELIVERIES)}× in parallel has its effect once`, () => {
  it('a push starts exactly 4 builds', async () => {
    const version = nextVersion();
    const digest = await pushImage(ecr, 'cgap-mastertest', version);
    const before = await buildCount();

    await deliverInParallel(harness.onImagePush, {
      ...fixture,
      id: `evt-${version}`,
      detail: { ...fixture.detail, 'image-tag': version, 'image-digest': digest },
    });

    expect(once(harness.proxy.bodiesOf('StartBuild').length, 4)).toBe(4);
    expect(await buildCount()).toBe(before + 4);
    const release = await harness.release(releaseIdFor(ENVIRONMENT, digest, ENTRYPOINTS));
    expect(Object.values(release.builds).map((build) => build.status)).toEqual(ENTRYPOINTS.map(() => 'IN_PROGRESS'));
  });

  it('a build SUCCEEDED event adds one timeline entry', async () => {
    const building = await harness.builtReleaseWithoutBuildEvents(nextVersion());
    const wsgi = building.builds.wsgi?.buildId ?? '';

    await deliverInParallel(harness.onBuildStateChange, buildStateEvent(wsgi, 'SUCCEEDED'));

    const after = await harness.release(building.id);
    expect(once(countSteps(after, 'build wsgi succeeded'))).toBe(1);
    expect(after.timeline).toHaveLength(building.timeline.length + 1);
    expect(after.builds.wsgi?.status).toBe('SUCCEEDED');
  });

  it('a task STOPPED event completes the release once, releasing the lock once', async () => {
    const built = await harness.builtRelease(nextVersion());
    expect(
      (await harness.post(`/environments/${ENVIRONMENT}/deployments`, { version: built.version })).statusCode,
    ).toBe(202);
    const deploying = await harness.release(built.id);
    harness.proxy.calls.length = 0;

    await deliverInParallel(
      harness.onTaskStateChange,
      taskStoppedEvent(deploying.rollout?.tasks.deployment?.taskArn ?? '', built.id, [{ name: 'app', exitCode: 0 }]),
    );

    const completed = await harness.release(built.id);
    expect(completed.state).toBe('COMPLETED');
    expect(once(countSteps(completed, 'release completed'))).toBe(1);
    const unlocks = harness.proxy.bodiesOf('DeleteItem').filter((body) => JSON.stringify(body.Key).includes('LOCK'));
    expect(once(unlocks.length)).toBe(1);
  });
});
