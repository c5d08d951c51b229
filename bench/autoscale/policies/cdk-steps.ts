import type { Scenario } from '../scenario.js';
import type { ScalerView, SimulatedPolicy } from '../simulate.js';

/** aws-ecs-patterns QueueProcessingFargateService defaults (README.md cites each). */
const DATAPOINT_SECONDS = 60;
const WINDOW_DATAPOINTS = 5;
const CDK_MIN_TASKS = 1;
const CDK_MAX_TASKS = 2;
const STEPS = [
  { atLeast: 500, change: 5 },
  { atLeast: 100, change: 1 },
] as const;

interface Capacity {
  key: string;
  label: string;
  min: (scenario: Scenario) => number;
  max: (scenario: Scenario) => number;
}

/**
 * CDK QueueProcessingFargateService's default step scaling: the Maximum of visible messages over
 * 5 minutes, one evaluation period, no cooldown: +1 at ≥ 100, +5 at ≥ 500, −1 at 0. An alarm with an
 * Auto Scaling action acts again every minute it stays in ALARM. The CPU policy the pattern also
 * adds is not modelled.
 */
function cdkSteps({ key, label, min, max }: Capacity): SimulatedPolicy {
  return {
    key,
    label,
    initialDesired: min,
    start: (view) => {
      runSteps(view, min(view.scenario), max(view.scenario));
    },
  };
}

function runSteps(view: ScalerView, minTasks: number, maxTasks: number): void {
  const datapoints: number[] = [];
  const evaluate = (maximum: number): void => {
    const { desired } = view.serviceCounts();
    const change = STEPS.find((step) => maximum >= step.atLeast)?.change ?? (maximum <= 0 ? -1 : 0);
    const next = Math.min(maxTasks, Math.max(minTasks, desired + change));
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
}

/** CDK's default capacity, min 1 and max 2, whatever the service's own bounds. */
export const cdkStepsPolicy = cdkSteps({
  key: 'cdkSteps',
  label: `CDK steps (min ${CDK_MIN_TASKS}, max ${CDK_MAX_TASKS})`,
  min: () => CDK_MIN_TASKS,
  max: () => CDK_MAX_TASKS,
});

/**
 * The same steps with the service's own maxTasks, as a user who sets the capacity would; at least 1
 * task, since with 0 a queue under 100 messages never starts one.
 */
export const cdkStepsServiceBounds = cdkSteps({
  key: 'cdkStepsService',
  label: 'CDK steps (min 1, the service max)',
  min: (scenario) => Math.max(CDK_MIN_TASKS, scenario.minTasks),
  max: (scenario) => scenario.maxTasks,
});
