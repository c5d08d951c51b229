import type { QueueBacklog, ServiceCounts } from './scaling.js';

/**
 * What the autoscaler keeps for the console's queue chart: at most one sample of the queue and the
 * service a minute, and each change of desired count with its reason. Pure: the hour an entry
 * belongs to, and what of an autoscale check is worth keeping.
 */

/** The queue and the service as one check saw them (the contract's scaling-history samples). */
export interface ScalingSample {
  at: string;
  /** Messages visible (ApproximateNumberOfMessages). */
  visible: number;
  /** Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  inFlight: number;
  desired: number;
  running: number;
}

/** A change of desired count, with the decision's one line. */
export interface ScalingDecisionPoint {
  at: string;
  from: number;
  to: number;
  reason: string;
  /** The tasks a wake-up starts, as the autoscaler had learned it then (absent before it was kept). */
  usualWakeup?: number | undefined;
}

/** One autoscale check of one queue-driven service, as the autoscaler saw and decided it. */
export interface ScalingObservation {
  environment: string;
  queue: string;
  at: Date;
  backlog: QueueBacklog;
  counts: ServiceCounts;
  /** `usualWakeup`: what the autoscaler has learned of its wake-ups (ScalingDecision). */
  decision: { desiredCount: number; change: boolean; reason: string; usualWakeup?: number };
}

/** What to keep of one check: its sample, and its decision when it changed the count. */
export interface ScalingHistoryEntry {
  sample: ScalingSample;
  decision?: ScalingDecisionPoint;
}

export function historyEntryOf(observation: ScalingObservation): ScalingHistoryEntry {
  const at = observation.at.toISOString();
  const { backlog, counts, decision } = observation;
  return {
    sample: {
      at,
      visible: backlog.visible,
      inFlight: backlog.inFlight,
      desired: counts.desired,
      running: counts.running,
    },
    ...(decision.change
      ? {
          decision: {
            at,
            from: counts.desired,
            to: decision.desiredCount,
            reason: decision.reason,
            ...(decision.usualWakeup === undefined ? {} : { usualWakeup: decision.usualWakeup }),
          },
        }
      : {}),
  };
}

/** `2026-11-27T09`: the hour an entry is kept under (UTC), which sorts as time does. */
export function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** The minute of the hour (0-59) a sample is kept under: a later sample of the same minute replaces it. */
export function minuteOf(at: Date): number {
  return at.getUTCMinutes();
}
