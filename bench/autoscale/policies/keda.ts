import type { SimulatedPolicy } from '../simulate.js';

/** KEDA aws-sqs-queue and the Kubernetes HPA defaults (README.md cites each). */
const DEFAULT_QUEUE_LENGTH = 5;
const POLLING_SECONDS = 30;
const COOLDOWN_SECONDS = 300;
const HPA_SYNC_SECONDS = 15;
const HPA_TOLERANCE = 0.1;
const SCALE_DOWN_WINDOW_SECONDS = 300;
const SCALE_UP_PODS = 4;
const SCALE_UP_PERCENT = 100;

/**
 * KEDA's aws-sqs-queue scaler driving the HPA:
 * - queue length = visible + in flight (scaleOnInFlight true), target `queueLength` per replica (AverageValue);
 * - KEDA polls every 30 s and alone decides 0 ↔ 1: to 1 when the length is above 0 (activation 0),
 *   to 0 after 300 s without activity (cooldownPeriod);
 * - the HPA syncs every 15 s: ceil(length / queueLength) unless within 10 % of the current ratio; up at
 *   most max(+4, +100 %) per sync; down to the highest recommendation of the last 300 s; at least 1.
 * `queueLength` of undefined means the service's messagesPerTask (what a user with one-message
 * consumers sets); 5 is KEDA's default.
 */
function kedaPolicy(key: string, label: string, fixedQueueLength: number | undefined): SimulatedPolicy {
  return {
    key,
    label,
    initialDesired: (scenario) => scenario.minTasks,
    start(view) {
      const { minTasks, maxTasks, messagesPerTask } = view.scenario;
      const perReplica = fixedQueueLength ?? messagesPerTask;
      const hpaMinimum = Math.max(1, minTasks);
      let lastActive = -Infinity;
      let recommendations: { at: number; replicas: number }[] = [];
      const queueLength = (): number => {
        const counts = view.queueCounts();
        return counts.visible + counts.inFlight;
      };
      view.every(POLLING_SECONDS, () => {
        const { desired } = view.serviceCounts();
        if (queueLength() > 0) {
          lastActive = view.now;
          if (desired === 0) view.updateService(hpaMinimum);
        } else if (desired > 0 && minTasks === 0 && view.now - lastActive >= COOLDOWN_SECONDS) {
          view.updateService(0);
          recommendations = [];
        }
      });
      view.every(HPA_SYNC_SECONDS, () => {
        const { desired } = view.serviceCounts();
        if (desired === 0) return; // the HPA is idle at zero replicas; KEDA owns 0 → 1
        const length = queueLength();
        const withinTolerance = Math.abs(length / (perReplica * desired) - 1) <= HPA_TOLERANCE;
        const raw = withinTolerance ? desired : Math.ceil(length / perReplica);
        const recommendation = Math.min(maxTasks, Math.max(hpaMinimum, raw));
        recommendations = recommendations.filter((entry) => view.now - entry.at < SCALE_DOWN_WINDOW_SECONDS);
        recommendations.push({ at: view.now, replicas: recommendation });
        const upLimit = Math.max(desired + SCALE_UP_PODS, Math.ceil(desired * (1 + SCALE_UP_PERCENT / 100)));
        const highest = recommendations.reduce((high, entry) => Math.max(high, entry.replicas), 0);
        const next = recommendation > desired ? Math.min(recommendation, upLimit) : Math.min(desired, highest);
        if (next !== desired) view.updateService(next);
      });
    },
  };
}

export const kedaMatched = kedaPolicy('keda', 'KEDA (queueLength = messagesPerTask)', undefined);
export const kedaDefaults = kedaPolicy(
  'kedaDefaults',
  `KEDA (defaults: queueLength ${DEFAULT_QUEUE_LENGTH})`,
  DEFAULT_QUEUE_LENGTH,
);
