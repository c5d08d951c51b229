import { describe, expect, it } from 'vitest';
import type { GateSettings } from '../../../src/domain/gates.js';
import type { NamedEnvironment } from '../../../src/domain/environment.js';
import { actOnAlarm } from '../../../src/use-cases/act-on-alarm.js';
import { deployVersion } from '../../../src/use-cases/deploy-version.js';
import { GateRefusedError } from '../../../src/use-cases/errors.js';
import { reconcileEnvironment } from '../../../src/use-cases/reconcile-environment.js';
import { rollBackEnvironment } from '../../../src/use-cases/roll-out.js';
import { RolloutConflictError } from '../../../src/use-cases/start-rollout.js';
import { inMemoryWorld, type InMemoryWorld } from '../../support/in-memory-ports.js';
import { builtRelease, completedRelease, named } from '../../support/release-fixtures.js';

/**
 * The bake through the use cases, on the in-memory world: reconcile (each minute) reads the watched
 * alarms, completes the release when the bake ends quiet, and rolls back on an alarm — once.
 */
const T0 = new Date('2026-12-06T10:00:00Z');
const MINUTE = 60_000;
const RELEASER = 'arn:aws:iam::123456789012:role/cgap-release';

function gated(name: string, gates: Omit<GateSettings, 'override'>): NamedEnvironment {
  const target = named(name);
  return { ...target, env: { ...target.env, gates: { override: [], ...gates } } };
}

/** cgap-mastertest (autoRollback off) watching one shared alarm and each service's, with a 10-minute bake. */
const ENV = 'cgap-mastertest';
const target = gated(ENV, { alarms: ['cgap-mastertest-latency', 'cgap-mastertest-{service}-5xx'] });
const ALARMS = ['cgap-mastertest-latency', ...Object.keys(target.env.services).map((key) => `${ENV}-${key}-5xx`)];

/** A world where 1.3.0 ran before, 1.4.0 is built, and every watched alarm is OK. */
function world() {
  const w = inMemoryWorld({ now: T0 });
  const before = completedRelease(ENV, '1.3.0', new Date(T0.getTime() - 60 * MINUTE));
  w.put(before);
  const at = before.completedAt ?? '';
  w.state.current.set(ENV, { releaseId: before.id, since: at, deploymentTaskRunAt: at });
  const release = builtRelease(ENV, '1.4.0', T0);
  w.put(release);
  for (const name of ALARMS) w.setAlarm(name, 'OK');
  w.advance(MINUTE);
  return { w, before, release };
}

/** What onAlarmStateChange is configured with: this environment, and one that watches no alarm. */
const environments = { [ENV]: target.env, 'cgap-prod': named('cgap-prod').env };

const tick = (w: InMemoryWorld, owner = 'tick') => reconcileEnvironment(w.ports(owner), target, `${owner}-1`);

/** Plays ECS through a rollout's steps, each tick a minute apart: services roll, the deployment task exits 0. */
async function playSteps(w: InMemoryWorld, releaseId: string) {
  w.completeServiceDeployments();
  await tick(w);
  const taskArn = w.release(releaseId)?.rollout?.tasks.deployment?.taskArn ?? '';
  w.stopTask(taskArn, target.env.deploymentTasks.deployment?.container ?? 'app', 0);
  w.advance(MINUTE);
  await tick(w);
}

/** Deploys 1.4.0 and plays its steps: it bakes from then on. */
async function deployToBake(w: InMemoryWorld, releaseId: string) {
  await deployVersion(w.ports('api'), target, { version: '1.4.0', triggeredBy: RELEASER, requestId: 'req-1' });
  await playSteps(w, releaseId);
}

const rollbacks = (w: InMemoryWorld) =>
  [...w.state.releases.values()].filter(({ release }) => release.rollout?.kind === 'rollback');

describe('a deploy that bakes', () => {
  it('bakes with the lock held (another deploy is refused, naming it), then completes when the bake ends quiet', async () => {
    const { w, release } = world();
    await deployToBake(w, release.id);
    expect(w.release(release.id)?.state).toBe('BAKING');
    expect(w.calls.notices.map((notice) => notice.event)).toEqual(['started']);

    w.put(builtRelease(ENV, '1.5.0', T0));
    const refused = await deployVersion(w.ports('api-2'), target, {
      version: '1.5.0',
      triggeredBy: RELEASER,
      requestId: 'req-2',
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RolloutConflictError);
    const bakeUntil = w.release(release.id)?.rollout?.watch?.bakeUntil ?? '?';
    expect(refused).toMatchObject({
      activeReleaseId: release.id,
      message: `environment ${ENV} is busy with release ${release.id} (BAKING until ${bakeUntil})`,
    });

    w.advance(9 * MINUTE);
    expect((await tick(w)).progressed).toEqual({ releaseId: release.id, state: 'BAKING' });
    w.advance(MINUTE);
    expect((await tick(w)).progressed).toEqual({ releaseId: release.id, state: 'COMPLETED' });

    const done = w.release(release.id);
    expect(done).toMatchObject({ state: 'COMPLETED', bakedAt: w.ports('x').now().toISOString() });
    expect(w.state.current.get(ENV)?.releaseId).toBe(release.id);
    expect(w.state.locks.leases.has(ENV)).toBe(false);
    expect(w.calls.notices.map((notice) => notice.event)).toEqual(['started', 'completed']);
    expect(rollbacks(w)).toEqual([]);
  });

  it('rolls back automatically on an alarm during the bake (autoRollback off), once however many ticks run', async () => {
    const { w, before, release } = world();
    await deployToBake(w, release.id);
    w.advance(3 * MINUTE);
    w.setAlarm('cgap-mastertest-wsgi-5xx', 'ALARM', 'Threshold Crossed: 5 datapoints were greater than 10');
    const alarmAt = w.ports('x').now().toISOString();
    w.advance(30_000);
    const updatesBefore = w.calls.updateService.length;

    // A duplicate tick (two invocations of the schedule at once), then the next minute's.
    await Promise.all([tick(w, 'tick-a'), tick(w, 'tick-b')]);
    await tick(w, 'tick-c');
    expect(w.release(release.id)?.state).toBe('FAILED');
    expect(w.release(before.id)?.state).toBe('DEPLOYING');
    await playSteps(w, before.id);

    expect(w.release(before.id)?.state).toBe('COMPLETED');
    const failed = w.release(release.id);
    expect(failed?.state).toBe('ROLLED_BACK');
    expect(failed?.failure).toEqual({
      kind: 'alarm',
      step: 'bake',
      reason: `alarm cgap-mastertest-wsgi-5xx went to ALARM at ${alarmAt}: Threshold Crossed: 5 datapoints were greater than 10`,
      alarm: {
        name: 'cgap-mastertest-wsgi-5xx',
        changedAt: alarmAt,
        reason: 'Threshold Crossed: 5 datapoints were greater than 10',
      },
      rolledBackTo: { releaseId: before.id, version: '1.3.0' },
    });
    const steps = failed?.timeline.map((entry) => entry.step) ?? [];
    expect(steps).toEqual(
      expect.arrayContaining(['alarm cgap-mastertest-wsgi-5xx in ALARM', 'automatic rollback started', 'rolled back']),
    );

    expect(rollbacks(w)).toHaveLength(1);
    // 1.3.0's second rollout (its first was its own deploy): one rollback, not two.
    expect(w.release(before.id)?.rollout).toMatchObject({ kind: 'rollback', attempt: 2, rollingBackFrom: release.id });
    // The rollback rolled each service once, back to 1.3.0's images, and ran its deployment task once.
    expect(w.calls.updateService.length - updatesBefore).toBe(Object.keys(target.env.services).length);
    expect(w.calls.runTask.filter((call) => call.startedBy.includes(before.id))).toHaveLength(1);
    const notices = w.calls.notices.filter((notice) => notice.releaseId === release.id);
    expect(notices.filter((notice) => notice.event === 'failed')).toEqual([
      {
        releaseId: release.id,
        event: 'failed',
        details: { alarm: 'cgap-mastertest-wsgi-5xx', alarmChangedAt: alarmAt, reason: failed?.failure?.reason },
      },
    ]);
    expect(notices.filter((notice) => notice.event === 'rolling-back')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ to: '1.3.0', toReleaseId: before.id }) as object }),
    ]);
  });

  it('rolls back on an alarm while the services still roll: the release fails at that step', async () => {
    const { w, before, release } = world();
    await deployVersion(w.ports('api'), target, { version: '1.4.0', triggeredBy: RELEASER, requestId: 'req-1' });
    w.setAlarm('cgap-mastertest-latency', 'ALARM');
    await tick(w);
    expect(w.release(release.id)?.failure).toMatchObject({
      kind: 'alarm',
      step: `services ${Object.keys(target.env.services).join(', ')}`,
      alarm: { name: 'cgap-mastertest-latency' },
      rolledBackTo: { releaseId: before.id },
    });
    expect(w.release(before.id)?.rollout?.kind).toBe('rollback');
    // The rollback itself watches nothing: the alarm still in ALARM does not fail it.
    expect(w.release(before.id)?.rollout?.watch).toBeUndefined();
    expect(w.release(before.id)?.state).toBe('DEPLOYING');
  });

  it('a bake whose alarms cannot be read this tick waits for the next read: it never completes unseen', async () => {
    const { w, release } = world();
    await deployToBake(w, release.id);
    w.advance(10 * MINUTE);
    const ports = w.ports('tick');
    const read = ports.alarms.describeAlarms;
    ports.alarms.describeAlarms = () => Promise.reject(new Error('cloudwatch:DescribeAlarms throttled'));
    await expect(reconcileEnvironment(ports, target, 'tick-1')).rejects.toThrow('throttled');
    expect(w.release(release.id)?.state).toBe('BAKING');
    ports.alarms.describeAlarms = read;
    await reconcileEnvironment(ports, target, 'tick-2');
    expect(w.release(release.id)?.state).toBe('COMPLETED');
  });
});

describe('a rollback asked during the bake', () => {
  it('ends the bake (FAILED, kind stopped, by whom) and rolls back from the baking release at once', async () => {
    const { w, before, release } = world();
    await deployToBake(w, release.id);
    const { release: rolling, from } = await rollBackEnvironment(w.ports('api-rb'), target, {
      triggeredBy: RELEASER,
      requestId: 'req-rb',
    });
    expect(from.id).toBe(release.id);
    expect(rolling).toMatchObject({ id: before.id, state: 'DEPLOYING', rollout: { kind: 'rollback' } });
    expect(w.release(release.id)).toMatchObject({
      state: 'FAILED',
      failure: { kind: 'stopped', step: 'bake', reason: `rolled back by ${RELEASER} during the bake` },
    });
    expect(w.calls.notices.filter((notice) => notice.event === 'failed').map((n) => n.releaseId)).toEqual([release.id]);
    // Nothing else rolls back: the end of the bake started no automatic rollback beside this one.
    await tick(w);
    expect(rollbacks(w)).toHaveLength(1);
    await playSteps(w, before.id);
    expect(w.release(release.id)?.state).toBe('ROLLED_BACK');
  });
});

describe('promotion requires the bake', () => {
  it('refuses a release still BAKING in the source environment, and passes it once baked', async () => {
    const { w, release } = world();
    await deployToBake(w, release.id);
    const PROD = 'cgap-prod';
    w.put(builtRelease(PROD, '1.4.0', T0));
    const prod = gated(PROD, {});
    const promoted = { ...prod, env: { ...prod.env, gates: { override: [], promoteFrom: ENV } } };
    const ask = { version: '1.4.0', triggeredBy: RELEASER, requestId: 'req-p' };

    const refusal = await deployVersion(w.ports('api'), promoted, ask).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GateRefusedError);
    expect(refusal).toMatchObject({
      gate: 'promotion',
      evidence: expect.stringContaining(`${release.id} is BAKING`) as string,
    });

    w.advance(10 * MINUTE);
    await tick(w);
    const started = await deployVersion(w.ports('api'), promoted, ask);
    expect(started.rollout?.gates?.[0]).toMatchObject({
      gate: 'promotion',
      outcome: 'passed',
      evidence: expect.stringContaining('completed and baked in cgap-mastertest') as string,
    });
  });
});

/**
 * CloudWatch's `CloudWatch Alarm State Change` event through actOnAlarm: the release deploying or baking
 * with that alarm watched fails and rolls back at once, without waiting for reconcile's tick — once,
 * however often the event comes, and not at all when the tick already acted.
 */
describe('a watched alarm’s state-change event', () => {
  it('fails a baking release and starts its rollback at once, naming the alarm; a second delivery does nothing', async () => {
    const { w, before, release } = world();
    await deployToBake(w, release.id);
    expect(w.release(release.id)?.state).toBe('BAKING');
    w.advance(2 * MINUTE);
    w.setAlarm('cgap-mastertest-wsgi-5xx', 'ALARM', 'Threshold Crossed');
    const alarmAt = w.ports('x').now().toISOString();

    expect(await actOnAlarm(w.ports('event-1'), environments, 'cgap-mastertest-wsgi-5xx')).toEqual([
      { environment: ENV, releaseId: release.id, state: 'FAILED' },
    ]);
    expect(w.release(release.id)?.failure).toMatchObject({
      kind: 'alarm',
      step: 'bake',
      alarm: { name: 'cgap-mastertest-wsgi-5xx', changedAt: alarmAt },
      rolledBackTo: { releaseId: before.id, version: '1.3.0' },
    });
    expect(w.release(before.id)?.rollout?.kind).toBe('rollback');

    // The same event again (EventBridge delivers at least once), then reconcile's tick: one rollback.
    expect(await actOnAlarm(w.ports('event-2'), environments, 'cgap-mastertest-wsgi-5xx')).toEqual([]);
    await tick(w);
    expect(rollbacks(w)).toHaveLength(1);
    expect(w.calls.notices.filter((n) => n.releaseId === release.id && n.event === 'failed')).toHaveLength(1);
  });

  it('fails a release whose services still roll, at that step', async () => {
    const { w, release } = world();
    await deployVersion(w.ports('api'), target, { version: '1.4.0', triggeredBy: RELEASER, requestId: 'req-1' });
    w.setAlarm('cgap-mastertest-latency', 'ALARM');
    const [acted] = await actOnAlarm(w.ports('event'), environments, 'cgap-mastertest-latency');
    expect(acted).toEqual({ environment: ENV, releaseId: release.id, state: 'FAILED' });
    expect(w.release(release.id)?.failure).toMatchObject({
      kind: 'alarm',
      step: expect.stringMatching(/^services /) as unknown,
    });
  });

  it('does nothing after reconcile already acted on the alarm, nor for an alarm the rollout does not watch', async () => {
    const { w, release } = world();
    await deployToBake(w, release.id);
    w.setAlarm('cgap-mastertest-wsgi-5xx', 'ALARM');
    await tick(w);
    expect(w.release(release.id)?.state).toBe('FAILED');
    const updates = w.calls.updateService.length;
    // The environment now rolls back: the rollback holds the lock and watches nothing.
    expect(await actOnAlarm(w.ports('late-event'), environments, 'cgap-mastertest-wsgi-5xx')).toEqual([]);
    expect(await actOnAlarm(w.ports('other'), environments, 'someone-elses-alarm')).toEqual([]);
    expect(w.calls.updateService.length).toBe(updates);
    expect(rollbacks(w)).toHaveLength(1);
  });

  it('leaves a release alone when the event came but the alarm is no longer in ALARM (CloudWatch is read, not the event)', async () => {
    const { w, release } = world();
    await deployToBake(w, release.id);
    // ALARM then OK again before the event was handled: the state read now is OK.
    expect(await actOnAlarm(w.ports('event'), environments, 'cgap-mastertest-wsgi-5xx')).toEqual([
      { environment: ENV, releaseId: release.id, state: 'BAKING' },
    ]);
    expect(w.release(release.id)?.state).toBe('BAKING');
  });
});
