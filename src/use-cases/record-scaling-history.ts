import {
  historyEntryOf,
  minuteOf,
  type ScalingDecisionPoint,
  type ScalingHistoryEntry,
  type ScalingObservation,
  type ScalingSample,
} from '../domain/scaling-history.js';

/**
 * The autoscaler's record for the console's queue chart. A recorder lives as long as the autoscale
 * function's container (its ticks, a check every 15 s): it keeps the first check of each minute and every
 * check that changed the count, so a quiet queue costs one small write a minute and a chart of six
 * hours reads six items. Recording never fails the autoscaler: a failed write is reported and dropped.
 */

/** Where the history is kept (src/aws/scaling-history-store.ts): one item per service per hour, expiring. */
export interface ScalingHistoryPort {
  /** Keeps the sample under its minute (replacing one kept there) and the decision beside it; idempotent. */
  record: (environment: string, queue: string, entry: ScalingHistoryEntry) => Promise<void>;
  /** Samples and decisions from `from` to `to`, oldest first. */
  read: (
    environment: string,
    queue: string,
    from: Date,
    to: Date,
  ) => Promise<{ samples: ScalingSample[]; decisions: ScalingDecisionPoint[] }>;
}

export interface ScalingHistoryRecorder {
  /** Records what is worth keeping of one pass's observations; resolves to how many were written. */
  observe: (observations: readonly ScalingObservation[]) => Promise<number>;
}

export function createScalingHistoryRecorder(
  port: Pick<ScalingHistoryPort, 'record'>,
  onError: (error: unknown, observation: ScalingObservation) => void,
): ScalingHistoryRecorder {
  /** The minute last sampled, by environment and queue. */
  const sampled = new Map<string, string>();

  async function observeOne(observation: ScalingObservation): Promise<boolean> {
    const key = `${observation.environment}\n${observation.queue}`;
    const minute = `${observation.at.toISOString().slice(0, 13)}:${minuteOf(observation.at)}`;
    if (sampled.get(key) === minute && !observation.decision.change) return false;
    try {
      await port.record(observation.environment, observation.queue, historyEntryOf(observation));
      sampled.set(key, minute);
      return true;
    } catch (error) {
      onError(error, observation);
      return false;
    }
  }

  return {
    observe: async (observations) => (await Promise.all(observations.map(observeOne))).filter(Boolean).length,
  };
}
