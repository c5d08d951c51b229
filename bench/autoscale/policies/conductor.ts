import { decideDesiredCount, SCHEDULE_SECONDS, type ScalingState } from '../../../src/domain/scaling.js';
import type { SimulatedPolicy } from '../simulate.js';

/**
 * (a) This project's autoscaler: the real decision function, called the way the Lambda calls it —
 * one invocation per minute that re-checks every `recheckSeconds` within its minute, with the state
 * persisted between checks as JSON (DynamoDB in production) when the decision says to store it. Its ingester holds task scale-in
 * protection while busy (issue 4's entrypoint), so ECS stops only idle tasks — unless the scenario says
 * `tasksProtectThemselves: false` (CGAP's stock ingester): then ECS may stop any task, and the decision
 * holds off scale-in while a message is in flight.
 */
export const conductorPolicy: SimulatedPolicy = {
  key: 'conductor',
  label: '(a) conductor',
  protectsBusyTasks: true,
  initialDesired: (scenario) => scenario.minTasks,
  start(view) {
    const { minTasks, maxTasks, messagesPerTask, stabilizationSeconds, recheckSeconds, tasksProtectThemselves } =
      view.scenario;
    let stored = '{}';
    const check = (): void => {
      const decision = decideDesiredCount({
        now: view.now * 1000,
        backlog: view.queueCounts(),
        service: view.serviceCounts(),
        policy: { minTasks, maxTasks, messagesPerTask, stabilizationSeconds, tasksProtectThemselves },
        state: JSON.parse(stored) as ScalingState,
        rolloutActive: false,
      });
      // As the Lambda does: a decision that changes nothing is not stored.
      if (decision.store !== 'none') stored = JSON.stringify(decision.nextState);
      if (decision.change) view.updateService(decision.desiredCount);
    };
    view.every(SCHEDULE_SECONDS, () => {
      for (let offset = 0; offset < SCHEDULE_SECONDS; offset += recheckSeconds) view.after(offset, check);
    });
  },
};
