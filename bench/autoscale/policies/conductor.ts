import { decideDesiredCount, SCHEDULE_SECONDS, type ScalingState } from '../../../src/domain/scaling.js';
import type { SimulatedPolicy } from '../simulate.js';
import { TRACE_START_EPOCH_MS } from '../trace.js';

/**
 * This project's autoscaler: the real decision function, called the way the Lambda calls it — one
 * invocation per minute that re-checks every `recheckSeconds` within its minute, with the state
 * persisted between checks as JSON (DynamoDB in production) only when the decision says to store it.
 */
export const conductorPolicy: SimulatedPolicy = {
  key: 'conductor',
  label: 'conductor',
  initialDesired: (scenario) => scenario.minTasks,
  start(view) {
    const { minTasks, maxTasks, messagesPerTask, stabilizationSeconds, recheckSeconds, protection } = view.scenario;
    // The service's config says whether its consumer protects itself: the world's truth.
    const policy = { minTasks, maxTasks, messagesPerTask, stabilizationSeconds, tasksProtectThemselves: protection };
    // The stored state as it comes back from the table: through JSON, as DynamoDB keeps it. The decision
    // function never changes its input, so one parse serves every check until the next write.
    let stored: ScalingState = {};
    const check = (): void => {
      const decision = decideDesiredCount({
        now: TRACE_START_EPOCH_MS + view.now * 1000,
        backlog: view.queueCounts(),
        service: view.serviceCounts(),
        policy,
        state: stored,
        rolloutActive: false,
      });
      // As the Lambda does: a decision that changes nothing is not stored.
      if (decision.store !== 'none') stored = JSON.parse(JSON.stringify(decision.nextState)) as ScalingState;
      if (decision.change) view.updateService(decision.desiredCount);
    };
    view.every(SCHEDULE_SECONDS, () => {
      for (let offset = 0; offset < SCHEDULE_SECONDS; offset += recheckSeconds) view.after(offset, check);
    });
  },
};
