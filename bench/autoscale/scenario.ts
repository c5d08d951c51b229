import { DEFAULT_RECHECK_SECONDS, type ScalingPolicy } from '../../src/domain/scaling.js';

/**
 * The simulated world: physics and the queue's settings, the same for every policy. Sources for each
 * default are in README.md ("The world").
 */
export interface World {
  seed: number;
  /** Consumers hold ECS task scale-in protection while they work on a message (every policy's, or none). */
  protection: boolean;
  /** GetQueueAttributes returns the counts of `maxCountLagSeconds` ago (steady) or of a fresh random 0–max per read. */
  lag: 'steady' | 'random';
  maxCountLagSeconds: number;
  /** Chance that a non-zero approximate count reads one too high (and, equally, one too low). */
  countNoise: number;
  /** Phantom counts: episodes when an empty queue reads 1 or 2 (keda#7845), on average this many a day. */
  phantomsPerDay: number;
  phantomSeconds: number;
  /** Fargate task start: lognormal around the median, clipped to [min, max]. */
  startLatency: { minSeconds: number; medianSeconds: number; maxSeconds: number };
  /**
   * A busy task that ECS stops gets `graceSeconds` to finish its message. Past that its work is lost:
   * handed back at once (`handBack`, docker/entrypoint_ingester.sh) or back after the visibility timeout.
   */
  stop: { graceSeconds: number; handBack: boolean };
  /** How long a received message stays invisible. */
  visibilityTimeoutSeconds: number;
  /** Every processing time of the trace is multiplied by this. */
  processingScale: number;
  /** From a datapoint's publication to the CloudWatch alarm acting on it (target tracking, CDK steps). */
  alarmDelaySeconds: number;
  /** Simulated time after the horizon's reference point, so every policy can scale back in. */
  settleSeconds: number;
  /** Arrivals this far apart start a new burst (drain time, chart panels). */
  burstGapSeconds: number;
}

/** The world plus the queue-driven service's config, which every policy gets. */
export interface Scenario extends World, ScalingPolicy {
  /** The conductor's re-check period within its one-minute schedule. */
  recheckSeconds: number;
}

/**
 * The fair world: every consumer protects itself while busy (the ingester entrypoint's contract, which
 * any policy can pair with), counts are a full minute old, an empty queue now and then reads 1–2, and a
 * stopped busy task gets the entrypoint's 90 s and hands its message back. CGAP's ingestion queue
 * (conductor.yml: 1 message per task, at most 4 tasks, 6 h visibility) with minTasks 0.
 */
export const DEFAULT_SCENARIO: Scenario = {
  seed: 1,
  protection: true,
  lag: 'steady',
  maxCountLagSeconds: 60,
  countNoise: 0.05,
  phantomsPerDay: 1,
  phantomSeconds: 60,
  startLatency: { minSeconds: 30, medianSeconds: 45, maxSeconds: 90 },
  stop: { graceSeconds: 90, handBack: true },
  visibilityTimeoutSeconds: 21_600,
  processingScale: 1,
  alarmDelaySeconds: 60,
  settleSeconds: 3600,
  burstGapSeconds: 600,
  minTasks: 0,
  maxTasks: 4,
  messagesPerTask: 1,
  stabilizationSeconds: 300,
  recheckSeconds: DEFAULT_RECHECK_SECONDS,
};

/** The worlds every run reports: the fair one, and one setting changed at a time. */
export const WORLDS: readonly { name: string; describe: string; change: Partial<World> }[] = [
  { name: 'fair', describe: 'protection on, counts 60 s late, phantoms, 90 s grace + hand-back', change: {} },
  {
    name: 'unprotected',
    describe: 'no task protection; a stopped busy task has 90 s, then hands its message back',
    change: { protection: false },
  },
  {
    name: 'unprotected-30s',
    describe: "no task protection; Fargate's default 30 s stop timeout, lost work back after the visibility timeout",
    change: { protection: false, stop: { graceSeconds: 30, handBack: false } },
  },
  { name: 'random-lag', describe: 'counts of a fresh random 0–60 s ago at each read', change: { lag: 'random' } },
];
