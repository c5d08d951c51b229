import type { SimulatedPolicy } from '../simulate.js';

/** (e) Today's CGAP: one ingester task, always running, never scaled. */
export const fixedSingleTaskPolicy: SimulatedPolicy = {
  key: 'fixed',
  label: '(e) fixed single task',
  protectsBusyTasks: false,
  initialDesired: () => 1,
  start() {
    // Nothing decides anything.
  },
};
