import type { SimulatedPolicy } from '../simulate.js';

/** aws-ecs-patterns QueueProcessingFargateService defaults (README.md cites each). */
const DATAPOINT_SECONDS = 60;
const WINDOW_DATAPOINTS = 5;
const CDK_MIN_TASKS = 1;
const CDK_MAX_TASKS = 2;
const STEPS = [
  { atLeast: 500, change: 5 },
  { atLeast: 100, change: 1 },
] as const;

/**
 * CDK QueueProcessingFargateService's default step scaling: the Maximum of visible messages over
 * 5 minutes, one evaluation period, no cooldown: +1 at ≥ 100, +5 at ≥ 500, −1 at 0. An alarm with an
 * Auto Scaling action acts again every minute it stays in ALARM. Capacity: CDK's default min 1 and
 * max 2, whatever the service's own bounds (a user who sets them gets them). The CPU policy the
 * pattern also adds is not modelled.
 */
export const cdkStepsPolicy: SimulatedPolicy = {
  key: 'cdkSteps',
  label: `CDK steps (min ${CDK_MIN_TASKS}, max ${CDK_MAX_TASKS})`,
  initialDesired: () => CDK_MIN_TASKS,
  start(view) {
    const datapoints: number[] = [];
    const evaluate = (maximum: number): void => {
      const { desired } = view.serviceCounts();
      const change = STEPS.find((step) => maximum >= step.atLeast)?.change ?? (maximum <= 0 ? -1 : 0);
      const next = Math.min(CDK_MAX_TASKS, Math.max(CDK_MIN_TASKS, desired + change));
      if (next !== desired) view.updateService(next);
    };
    view.every(DATAPOINT_SECONDS, () => {
      datapoints.push(view.queueCounts().visible);
      if (datapoints.length > WINDOW_DATAPOINTS) datapoints.shift();
      if (datapoints.length < WINDOW_DATAPOINTS) return;
      const maximum = datapoints.reduce((high, point) => Math.max(high, point), 0);
      view.after(view.scenario.alarmDelaySeconds, () => {
        evaluate(maximum);
      });
    });
  },
};
