import type { SimulatedPolicy } from '../simulate.js';

/** Copilot's publisher and AWS's target-tracking alarms, as documented (not configurable). */
const DATAPOINT_SECONDS = 60;
const SCALE_OUT_DATAPOINTS = 3;
const SCALE_IN_DATAPOINTS = 15;
const SCALE_IN_FRACTION = 0.9;
const SCALE_IN_COOLDOWN_SECONDS = 120;

/**
 * (b) AWS target tracking on backlog per task, as Copilot's worker service sets it up:
 * - every minute a Lambda publishes ceil(visible / max(running, 1)) (in-flight messages not counted);
 * - the target is the acceptable backlog per task: `messagesPerTask`;
 * - scale out when 3 datapoints in a row exceed the target, to ceil(running × metric / target),
 *   counting capacity still starting (the scale-out cooldown's effect);
 * - scale in when 15 datapoints in a row are below 0.9 × target, at most once per 120 s cooldown
 *   (a scale-out ends it), proportionally, and with no regard to busy tasks;
 * - from zero tasks, one datapoint above the target adds one task. The alarm is strict (>), so a
 *   single message with a target of 1 never starts a task (copilot-cli#3376).
 */
export const targetTrackingPolicy: SimulatedPolicy = {
  key: 'target-tracking',
  label: '(b) AWS target tracking',
  protectsBusyTasks: false,
  initialDesired: (scenario) => scenario.minTasks,
  start(view) {
    const { minTasks, maxTasks, messagesPerTask: target } = view.scenario;
    const datapoints: number[] = [];
    let lastScaleIn = -Infinity;
    let lastScaleOut = -Infinity;
    const streak = (count: number, holds: (datapoint: number) => boolean): boolean =>
      datapoints.length >= count && datapoints.slice(-count).every(holds);
    view.every(DATAPOINT_SECONDS, () => {
      const { desired, running } = view.serviceCounts();
      const metric = Math.ceil(view.queueCounts().visible / Math.max(running, 1));
      datapoints.push(metric);
      if (datapoints.length > SCALE_IN_DATAPOINTS) datapoints.shift();
      const proportional = Math.ceil((running * metric) / target);
      if (desired === 0 && metric > target) {
        view.updateService(Math.min(maxTasks, 1));
        lastScaleOut = view.now;
      } else if (streak(SCALE_OUT_DATAPOINTS, (datapoint) => datapoint > target) && proportional > desired) {
        view.updateService(Math.min(maxTasks, proportional));
        lastScaleOut = view.now;
      } else if (streak(SCALE_IN_DATAPOINTS, (datapoint) => datapoint < SCALE_IN_FRACTION * target)) {
        const cooling = view.now - lastScaleIn < SCALE_IN_COOLDOWN_SECONDS && lastScaleOut < lastScaleIn;
        const wanted = Math.max(minTasks, proportional);
        if (!cooling && wanted < desired) {
          view.updateService(wanted);
          lastScaleIn = view.now;
        }
      }
    });
  },
};
