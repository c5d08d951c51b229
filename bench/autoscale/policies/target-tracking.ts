import type { SimulatedPolicy } from '../simulate.js';

/** Copilot's publisher and AWS's target-tracking alarms, as documented (not configurable). */
const DATAPOINT_SECONDS = 60;
const SCALE_OUT_DATAPOINTS = 3;
const SCALE_IN_DATAPOINTS = 15;
const SCALE_IN_FRACTION = 0.9;

interface Cooldowns {
  key: string;
  label: string;
  /** Documented, but it cannot bind here: scale-out only ever goes above the desired count already set. */
  scaleOutSeconds: number;
  scaleInSeconds: number;
  /**
   * The scale-out alarm's comparison. AWS creates `>` (GreaterThanThreshold), so a single message
   * with a target of 1 never starts a task; users who hit that edit the alarm to `>=`
   * (copilot-cli#3376). Both are run and the goal takes whichever serves better.
   */
  comparison: '>' | '>=';
}

/**
 * AWS target tracking on backlog per task, as Copilot's worker service sets it up:
 * - every minute a Lambda publishes ceil(visible / max(running, 1)) (in-flight messages not counted);
 *   the alarms act on a datapoint `alarmDelaySeconds` after it is published (World);
 * - the target is the acceptable backlog per task: `messagesPerTask`;
 * - scale out when 3 datapoints in a row exceed the target, to ceil(running × metric / target) when
 *   that is more than the desired count already set (capacity still starting counts, as within the
 *   scale-out cooldown; a larger step is never blocked, so the two setups differ in scale-in only);
 * - scale in when 15 datapoints in a row are below 0.9 × target, at most once per scale-in cooldown
 *   (a scale-out ends it), proportionally;
 * - from zero tasks, one datapoint above the target adds one task. With the strict alarm (>) a
 *   single message with a target of 1 never starts a task (copilot-cli#3376); with `>=` it does.
 */
export function targetTrackingPolicy({ key, label, scaleInSeconds, comparison }: Cooldowns): SimulatedPolicy {
  return {
    key,
    label,
    initialDesired: (scenario) => scenario.minTasks,
    start(view) {
      const { minTasks, maxTasks, messagesPerTask: target, alarmDelaySeconds } = view.scenario;
      const datapoints: number[] = [];
      let lastScaleIn = -Infinity;
      let lastScaleOut = -Infinity;
      const above = (point: number): boolean => (comparison === '>' ? point > target : point >= target);
      const streak = (seen: readonly number[], count: number, holds: (datapoint: number) => boolean): boolean =>
        seen.length >= count && seen.slice(-count).every(holds);
      const evaluate = (seen: readonly number[]): void => {
        const metric = seen.at(-1) ?? 0;
        const { desired, running } = view.serviceCounts();
        const proportional = Math.ceil((running * metric) / target);
        if (desired === 0 && above(metric)) {
          view.updateService(Math.min(maxTasks, 1));
          lastScaleOut = view.now;
        } else if (streak(seen, SCALE_OUT_DATAPOINTS, above) && proportional > desired) {
          view.updateService(Math.min(maxTasks, proportional));
          lastScaleOut = view.now;
        } else if (streak(seen, SCALE_IN_DATAPOINTS, (point) => point < SCALE_IN_FRACTION * target)) {
          const cooling = view.now - lastScaleIn < scaleInSeconds && lastScaleOut < lastScaleIn;
          const wanted = Math.max(minTasks, proportional);
          if (!cooling && wanted < desired) {
            view.updateService(wanted);
            lastScaleIn = view.now;
          }
        }
      };
      view.every(DATAPOINT_SECONDS, () => {
        const { running } = view.serviceCounts();
        datapoints.push(Math.ceil(view.queueCounts().visible / Math.max(running, 1)));
        if (datapoints.length > SCALE_IN_DATAPOINTS) datapoints.shift();
        const seen = [...datapoints];
        view.after(alarmDelaySeconds, () => {
          evaluate(seen);
        });
      });
    },
  };
}

/** Copilot's worker service: ScaleOutCooldown 60 s, ScaleInCooldown 120 s. */
export const targetTrackingCopilot = targetTrackingPolicy({
  key: 'targetTracking',
  label: 'target tracking (Copilot)',
  scaleOutSeconds: 60,
  scaleInSeconds: 120,
  comparison: '>',
});

/** Copilot's cooldowns with the scale-out alarm edited to `>=`. */
export const targetTrackingCopilotAtLeast = targetTrackingPolicy({
  key: 'targetTrackingAtLeast',
  label: 'target tracking (Copilot, alarm ≥)',
  scaleOutSeconds: 60,
  scaleInSeconds: 120,
  comparison: '>=',
});

/** Application Auto Scaling's defaults for ECS: 300 s both ways. */
export const targetTrackingAwsDefaults = targetTrackingPolicy({
  key: 'targetTrackingAwsDefaults',
  label: 'target tracking (AWS defaults)',
  scaleOutSeconds: 300,
  scaleInSeconds: 300,
  comparison: '>',
});

/** AWS's default cooldowns with the scale-out alarm edited to `>=`. */
export const targetTrackingAwsDefaultsAtLeast = targetTrackingPolicy({
  key: 'targetTrackingAwsDefaultsAtLeast',
  label: 'target tracking (AWS defaults, alarm ≥)',
  scaleOutSeconds: 300,
  scaleInSeconds: 300,
  comparison: '>=',
});
