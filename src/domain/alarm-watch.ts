import type { Environment } from './environment.js';
import { serviceAlarmNames, type GateSettings } from './gates.js';
import { plural } from './plural.js';
import type { Release, TimelineEntry } from './release.js';
import { failRelease, withTimeline } from './rollout.js';
import type { AlarmWatch, Rollout, RolloutKind, RolloutStep } from './rollout-state.js';

/**
 * The environment's CloudWatch alarms (`gates.alarms`) watched by the conductor itself, through a deploy's
 * steps and a bake of `gates.bakeMinutes` after the last one. ECS watches the same alarms only while a
 * service deploys; the bake covers what shows later (a queue backing up, errors under real traffic).
 * An alarm that goes to ALARM fails the release (kind `alarm`), which always rolls back automatically.
 * Pure: progress-release reads the alarms' states and hands them in.
 */
export const DEFAULT_BAKE_MINUTES = 10;

/** One alarm as CloudWatch describes it (DescribeAlarms). */
export interface AlarmReading {
  name: string;
  /** StateValue: OK, ALARM or INSUFFICIENT_DATA. */
  state: string;
  /** StateUpdatedTimestamp, ISO 8601: when it entered its state. */
  changedAt: string;
  reason?: string | undefined;
}

export function bakeMinutesOf(gates: GateSettings | undefined): number {
  return gates?.bakeMinutes ?? DEFAULT_BAKE_MINUTES;
}

/**
 * The alarm names a rollout along `steps` watches: each rolled service's names with `{service}` filled
 * in, and the names without `{service}` whatever the steps; each once.
 */
export function watchedAlarmNames(env: Environment, steps: readonly RolloutStep[]): string[] {
  const shared = (env.gates?.alarms ?? []).filter((name) => !name.includes('{service}'));
  const services = steps.flatMap((step) => (step.kind === 'services' ? step.services : []));
  return [...new Set([...shared, ...services.flatMap((key) => serviceAlarmNames(env.gates, key))])];
}

/**
 * Every alarm some deploy of the environment may watch: each service's names and the shared ones. IAM's
 * DescribeAlarms scope, the alarm state-change event rule and its handler's edge all read this list.
 */
export function alarmsWatchedIn(env: Environment): string[] {
  return watchedAlarmNames(env, [{ kind: 'services', services: Object.keys(env.services) }]);
}

/**
 * What a rollout watches: a deploy to an environment with alarms. A rollback watches nothing (the alarm
 * that caused it may still be in ALARM while it runs), nor does a re-run of the deployment task.
 */
export function alarmWatchFor(
  env: Environment,
  kind: RolloutKind,
  steps: readonly RolloutStep[],
  now: Date,
): AlarmWatch | undefined {
  if (kind !== 'deploy') return undefined;
  const alarms = watchedAlarmNames(env, steps);
  return alarms.length > 0 ? { alarms, since: now.toISOString(), bakeMinutes: bakeMinutesOf(env.gates) } : undefined;
}

/**
 * The first watched alarm that went to ALARM since the watch began. As ECS does with its deployment
 * alarms, one already in ALARM when the rollout started is not held against it until it leaves ALARM
 * and comes back; OK and INSUFFICIENT_DATA (no data yet, e.g. no traffic) never trip.
 */
export function trippedAlarm(watch: AlarmWatch, readings: readonly AlarmReading[]): AlarmReading | undefined {
  return readings.find(
    (reading) =>
      watch.alarms.includes(reading.name) &&
      reading.state === 'ALARM' &&
      Date.parse(reading.changedAt) >= Date.parse(watch.since),
  );
}

/** The release FAILED at `step` because `alarm` went to ALARM: which alarm, when, and why, in its failure and timeline. */
export function failOnAlarm(release: Release, alarm: AlarmReading, step: string, now: Date): Release {
  const at = now.toISOString();
  const why = alarm.reason ? `: ${alarm.reason}` : '';
  const reason = `alarm ${alarm.name} went to ALARM at ${alarm.changedAt}${why}`;
  const seen = withTimeline(release, [
    { at, step: `alarm ${alarm.name} in ALARM`, detail: `since ${alarm.changedAt}${why}` },
  ]);
  return failRelease(seen, 'alarm', reason, now, {
    step,
    alarm: { name: alarm.name, changedAt: alarm.changedAt, ...(alarm.reason ? { reason: alarm.reason } : {}) },
  });
}

/** The release COMPLETED at `at`, after the timeline entries that led there. */
function completed(release: Release, at: string, before: TimelineEntry[] = []): Release {
  return {
    ...withTimeline(release, [...before, { at, step: 'release completed' }]),
    state: 'COMPLETED',
    completedAt: at,
  };
}

/** The last step is done: a watched deploy bakes (BAKING until its bake ends), any other rollout completes now. */
export function stepsDone(release: Release, rollout: Rollout, at: string): Release {
  const watch = rollout.watch;
  if (watch && watch.bakeMinutes > 0) {
    const bakeUntil = new Date(Date.parse(at) + watch.bakeMinutes * 60_000).toISOString();
    const detail = `watching ${watch.alarms.join(', ')} for ${plural(watch.bakeMinutes, 'minute')}`;
    return {
      ...withTimeline(release, [{ at, step: `baking until ${bakeUntil}`, detail }]),
      state: 'BAKING',
      rollout: { ...rollout, watch: { ...watch, bakeUntil } },
    };
  }
  return { ...completed(release, at), rollout };
}

/** How each watched alarm stood as the bake ended, for the timeline. */
function bakeEvidence(watch: AlarmWatch, readings: readonly AlarmReading[]): string {
  const states = watch.alarms.map((name) => {
    const reading = readings.find((candidate) => candidate.name === name);
    if (!reading) return `${name} no longer exists`;
    return reading.state === 'ALARM'
      ? `${name} ALARM since ${reading.changedAt}, before the deploy`
      : `${name} ${reading.state}`;
  });
  return `${states.join(', ')} after ${plural(watch.bakeMinutes, 'minute')}`;
}

/**
 * A BAKING release given its alarms' states now: one in ALARM fails it, the bake's end completes it,
 * otherwise it stays as it is. Without readings (none were taken) nothing is decided: a bake never
 * ends unseen. Idempotent: a settled release is returned unchanged.
 */
export function decideBake(release: Release, readings: readonly AlarmReading[] | undefined, now: Date): Release {
  const watch = release.rollout?.watch;
  if (release.state !== 'BAKING' || !watch?.bakeUntil || !readings) return release;
  const tripped = trippedAlarm(watch, readings);
  if (tripped) return failOnAlarm(release, tripped, 'bake', now);
  if (now.getTime() < Date.parse(watch.bakeUntil)) return release;
  const at = now.toISOString();
  return {
    ...completed(release, at, [{ at, step: 'bake passed', detail: bakeEvidence(watch, readings) }]),
    bakedAt: at,
  };
}

/**
 * An operator asked for a rollback while the release bakes: the bake ends there, the release FAILED
 * (kind `stopped`), so that the rollback may take the environment. A release no longer baking is left as it is.
 */
export function stopBake(release: Release, by: string, now: Date): Release {
  if (release.state !== 'BAKING') return release;
  const at = now.toISOString();
  const reason = `rolled back by ${by} during the bake`;
  return failRelease(withTimeline(release, [{ at, step: 'bake stopped', detail: reason }]), 'stopped', reason, now, {
    step: 'bake',
  });
}
