import { DEFAULT_RECHECK_SECONDS, type ScalingPolicy } from '../../src/domain/scaling.js';

/** The physics and the queue's settings every policy is simulated with. */
export interface Scenario extends ScalingPolicy {
  seed: number;
  /** How long a received message stays invisible; an interrupted message comes back after it. */
  visibilityTimeoutSeconds: number;
  /** The conductor's re-check period within its one-minute schedule. */
  recheckSeconds: number;
  /** Fargate task start: lognormal around the median, clipped to [min, max]. */
  startLatency: { minSeconds: number; medianSeconds: number; maxSeconds: number };
  /** GetQueueAttributes returns the counts of up to this many seconds ago. */
  maxCountLagSeconds: number;
  /** Chance that a non-zero approximate count reads one too high (and, equally, one too low). */
  countNoise: number;
  /** SIGTERM to SIGKILL on Fargate: a busy task stopped by scale-in finishes only if it needs less. */
  stopTimeoutSeconds: number;
  /** Simulated time after the last message is done, so every policy can scale back in. */
  settleSeconds: number;
  /** Arrivals this far apart start a new burst (for the drain time). */
  burstGapSeconds: number;
}

/**
 * CGAP's ingestion queue (conductor.yml: 1 message per task, at most 4 tasks, 6 h visibility) with
 * minTasks 0, so that scaling from and to zero is part of what is measured.
 */
export const DEFAULT_SCENARIO: Scenario = {
  seed: 6,
  minTasks: 0,
  maxTasks: 4,
  messagesPerTask: 1,
  stabilizationSeconds: 300,
  visibilityTimeoutSeconds: 21_600,
  recheckSeconds: DEFAULT_RECHECK_SECONDS,
  startLatency: { minSeconds: 30, medianSeconds: 45, maxSeconds: 90 },
  maxCountLagSeconds: 60,
  countNoise: 0.05,
  stopTimeoutSeconds: 30,
  settleSeconds: 3600,
  burstGapSeconds: 600,
};
