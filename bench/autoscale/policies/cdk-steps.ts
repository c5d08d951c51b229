import type { SimulatedPolicy } from '../simulate.js';

/** aws-ecs-patterns QueueProcessingFargateService defaults. */
const PERIOD_SECONDS = 300;
const STEPS = [
  { atLeast: 500, change: 5 },
  { atLeast: 100, change: 1 },
] as const;

/**
 * (d) CDK QueueProcessingFargateService's default step scaling: the Maximum of visible messages
 * over 5 minutes, evaluated each period (1 evaluation period, no cooldown): +1 at ≥ 100, +5 at
 * ≥ 500, −1 at 0, with no regard to busy tasks. Its default capacity minimum is 1; with these
 * steps a minimum of 0 would leave fewer than 100 messages unserved forever, so it gets max(1, min).
 * The CPU policy the pattern also adds is not modelled.
 */
export const cdkStepsPolicy: SimulatedPolicy = {
  key: 'cdk-steps',
  label: '(d) CDK step scaling',
  protectsBusyTasks: false,
  initialDesired: (scenario) => Math.max(1, scenario.minTasks),
  start(view) {
    const { minTasks, maxTasks } = view.scenario;
    const minimum = Math.max(1, minTasks);
    const datapoints: number[] = [];
    view.every(PERIOD_SECONDS / 5, () => {
      datapoints.push(view.queueCounts().visible);
      if (datapoints.length > 5) datapoints.shift();
    });
    view.every(
      PERIOD_SECONDS,
      () => {
        const maximum = Math.max(...datapoints);
        const { desired } = view.serviceCounts();
        const change = STEPS.find((step) => maximum >= step.atLeast)?.change ?? (maximum <= 0 ? -1 : 0);
        const next = Math.min(maxTasks, Math.max(minimum, desired + change));
        if (next !== desired) view.updateService(next);
      },
      PERIOD_SECONDS,
    );
  },
};
