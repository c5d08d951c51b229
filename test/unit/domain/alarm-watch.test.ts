import { describe, expect, it } from 'vitest';
import {
  alarmWatchFor,
  DEFAULT_BAKE_MINUTES,
  stopBake,
  watchedAlarmNames,
  type AlarmReading,
} from '../../../src/domain/alarm-watch.js';
import { decideRollout, type ObservedService } from '../../../src/domain/decide-rollout.js';
import type { Environment } from '../../../src/domain/environment.js';
import type { Release } from '../../../src/domain/release.js';
import { beginRollout, rollbackStarted, serviceRolling } from '../../../src/domain/rollout.js';
import type { RolloutStep } from '../../../src/domain/rollout-state.js';
import { builtRelease, environment } from '../../support/release-fixtures.js';

const t0 = new Date('2026-12-06T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const base = environment('cgap-prod');
const SERVICES = Object.keys(base.services);
const STEPS: RolloutStep[] = [{ kind: 'services', services: SERVICES }];

function envWith(gates: Partial<NonNullable<Environment['gates']>>): Environment {
  return { ...base, gates: { override: [], ...gates } };
}

const env = envWith({ alarms: ['prod-{service}-5xx', 'prod-latency'], bakeMinutes: 5 });
const NAMES = watchedAlarmNames(env, STEPS);

const reading = (name: string, state: string, changedAt: Date, reason?: string): AlarmReading => ({
  name,
  state,
  changedAt: changedAt.toISOString(),
  ...(reason ? { reason } : {}),
});
const allOk = (when = at(-60)) => NAMES.map((name) => reading(name, 'OK', when));

/** A deploy of 1.4.0 whose services ECS is rolling, watching the environment's alarms since t0. */
function rolling(target = env): Release {
  let release = beginRollout(
    builtRelease('cgap-prod', '1.4.0', t0),
    STEPS,
    { kind: 'deploy', triggeredBy: 'api', lockOwner: 'x@1', watch: alarmWatchFor(target, 'deploy', STEPS, t0) },
    t0,
  );
  for (const service of SERVICES) release = serviceRolling(release, service, `td/${service}:2`, `dep/${service}`, t0);
  return release;
}

const services = (rolloutState: string) =>
  Object.fromEntries(
    SERVICES.map((service): [string, ObservedService] => [
      service,
      { taskDefinitionArn: `td/${service}:2`, deployments: [{ id: `dep/${service}`, rolloutState }] },
    ]),
  );

/** The release once ECS finished every service at minute 2, with every alarm OK. */
function baking(): Release {
  return decideRollout(rolling(), env, { services: services('COMPLETED'), alarms: allOk() }, at(2)).release;
}

describe('which alarms a rollout watches', () => {
  it("a deploy watches each rolled service's names ({service} filled in) and the shared ones, once each", () => {
    expect(NAMES).toEqual(['prod-latency', ...SERVICES.map((service) => `prod-${service}-5xx`)]);
    expect(alarmWatchFor(env, 'deploy', STEPS, t0)).toEqual({
      alarms: NAMES,
      since: t0.toISOString(),
      bakeMinutes: 5,
    });
  });

  it('a rollback and a re-run watch nothing (the alarm that caused a rollback may still be in ALARM)', () => {
    expect(alarmWatchFor(env, 'rollback', STEPS, t0)).toBeUndefined();
    expect(alarmWatchFor(env, 'rerun', [{ kind: 'task', task: 'deployment' }], t0)).toBeUndefined();
  });

  it('an environment without alarms watches nothing; bakeMinutes defaults to 10', () => {
    expect(alarmWatchFor(envWith({}), 'deploy', STEPS, t0)).toBeUndefined();
    expect(alarmWatchFor(envWith({ alarms: ['a'] }), 'deploy', STEPS, t0)?.bakeMinutes).toBe(DEFAULT_BAKE_MINUTES);
    expect(DEFAULT_BAKE_MINUTES).toBe(10);
  });
});

describe('the bake', () => {
  it('starts when the last step is done with every alarm OK: BAKING, not COMPLETED, until the bake ends', () => {
    const release = baking();
    expect(release.state).toBe('BAKING');
    expect(release.completedAt).toBeUndefined();
    expect(release.rollout?.watch?.bakeUntil).toBe(at(7).toISOString());
    expect(release.timeline.at(-1)).toMatchObject({
      step: `baking until ${at(7).toISOString()}`,
      detail: `watching ${NAMES.join(', ')} for 5 minutes`,
    });
  });

  it('waits while the alarms stay OK, then completes when the bake is over, recording each alarm’s state', () => {
    const release = baking();
    const early = decideRollout(release, env, { alarms: allOk() }, at(6));
    expect(early).toEqual({ release, actions: [] });
    // No data (no traffic yet) neither trips nor holds the bake; it is recorded as it was.
    const quiet = [reading('prod-latency', 'INSUFFICIENT_DATA', at(1)), ...allOk().slice(1)];
    const done = decideRollout(release, env, { alarms: quiet }, at(7)).release;
    expect(done).toMatchObject({ state: 'COMPLETED', completedAt: at(7).toISOString(), bakedAt: at(7).toISOString() });
    const passed = done.timeline.find((entry) => entry.step === 'bake passed');
    expect(passed?.detail).toBe(
      `prod-latency INSUFFICIENT_DATA, ${SERVICES.map((service) => `prod-${service}-5xx OK`).join(', ')} after 5 minutes`,
    );
    expect(done.timeline.at(-1)?.step).toBe('release completed');
  });

  it('never ends unseen: past its end without alarm readings the release stays BAKING', () => {
    const release = baking();
    expect(decideRollout(release, env, {}, at(30)).release).toBe(release);
  });

  it('an alarm in ALARM during the bake fails the release: which alarm, when, and why', () => {
    const alarms = [...allOk().slice(1), reading('prod-latency', 'ALARM', at(4), 'p99 above 2 s')];
    const failed = decideRollout(baking(), env, { alarms }, at(5)).release;
    expect(failed.state).toBe('FAILED');
    expect(failed.failure).toEqual({
      kind: 'alarm',
      step: 'bake',
      reason: `alarm prod-latency went to ALARM at ${at(4).toISOString()}: p99 above 2 s`,
      alarm: { name: 'prod-latency', changedAt: at(4).toISOString(), reason: 'p99 above 2 s' },
    });
    expect(failed.timeline.map((entry) => entry.step).slice(-2)).toEqual([
      'alarm prod-latency in ALARM',
      'release failed',
    ]);
  });

  it('is idempotent: a second tick with the same readings changes nothing, the failure is decided once', () => {
    const alarms = [reading('prod-latency', 'ALARM', at(4))];
    const failed = decideRollout(baking(), env, { alarms }, at(5)).release;
    const again = decideRollout(failed, env, { alarms }, at(6));
    expect(again).toEqual({ release: failed, actions: [] });
  });

  it('a bake of 0 minutes completes the release with its last step', () => {
    const noBake = envWith({ alarms: ['prod-latency'], bakeMinutes: 0 });
    const readings = [reading('prod-latency', 'OK', at(-60))];
    const done = decideRollout(rolling(noBake), noBake, { services: services('COMPLETED'), alarms: readings }, at(2));
    expect(done.release).toMatchObject({ state: 'COMPLETED', completedAt: at(2).toISOString() });
  });
});

describe('alarms during the steps', () => {
  it('an alarm that goes to ALARM while the services roll fails the release at that step, asking for no writes', () => {
    const alarms = [...allOk(), reading('prod-wsgi-5xx', 'ALARM', at(1), 'Threshold Crossed')];
    const decision = decideRollout(rolling(), env, { services: services('IN_PROGRESS'), alarms }, at(1));
    expect(decision.actions).toEqual([]);
    expect(decision.release.state).toBe('FAILED');
    expect(decision.release.failure).toMatchObject({
      kind: 'alarm',
      step: `services ${SERVICES.join(', ')}`,
      alarm: { name: 'prod-wsgi-5xx', changedAt: at(1).toISOString() },
    });
  });

  it('an alarm in ALARM since before the deploy started is not held against it (as ECS does), and the bake says so', () => {
    const before = [...allOk().slice(1), reading('prod-latency', 'ALARM', at(-5))];
    const release = decideRollout(rolling(), env, { services: services('COMPLETED'), alarms: before }, at(2)).release;
    expect(release.state).toBe('BAKING');
    const done = decideRollout(release, env, { alarms: before }, at(7)).release;
    expect(done.state).toBe('COMPLETED');
    expect(done.timeline.find((entry) => entry.step === 'bake passed')?.detail).toContain(
      `prod-latency ALARM since ${at(-5).toISOString()}, before the deploy`,
    );
  });
});

describe('the automatic rollback that follows', () => {
  it('is recorded once on the failed release: its failure and timeline say where the environment went back to', () => {
    const failed = decideRollout(baking(), env, { alarms: [reading('prod-latency', 'ALARM', at(4))] }, at(5)).release;
    const to = { id: 'rel-00000000000000000001', version: '1.3.0' };
    const recorded = rollbackStarted(failed, to, at(5));
    expect(recorded.failure?.rolledBackTo).toEqual({ releaseId: to.id, version: '1.3.0' });
    expect(recorded.timeline.at(-1)).toMatchObject({
      step: 'automatic rollback started',
      detail: `to 1.3.0 (${to.id})`,
    });
    expect(rollbackStarted(recorded, to, at(6))).toBe(recorded);
  });
});

describe('a bake stopped by a rollback asked for', () => {
  it('fails the baking release, saying who, and leaves any other release as it is', () => {
    const stopped = stopBake(baking(), 'arn:aws:iam::1:role/oncall', at(3));
    expect(stopped).toMatchObject({
      state: 'FAILED',
      failure: { kind: 'stopped', step: 'bake', reason: 'rolled back by arn:aws:iam::1:role/oncall during the bake' },
    });
    expect(stopBake(stopped, 'someone else', at(4))).toBe(stopped);
  });
});
