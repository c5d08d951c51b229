import type { SimulatedPolicy } from '../simulate.js';

/** Today's CGAP: one ingester task, always running, never scaled. */
export const fixedSingleTaskPolicy: SimulatedPolicy = {
  key: 'fixedOne',
  label: 'fixed single task',
  initialDesired: () => 1,
  start() {
    // Nothing decides anything.
  },
};
