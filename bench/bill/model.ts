import { PRICES } from './prices.js';

/**
 * The control plane's monthly bill for the autoscaler, as counted requests times list prices. The
 * counts follow the code: what one pass reads and writes per environment (autoscale-service.ts,
 * record-scaling-history.ts), and what the tick chain adds (drive-autoscale-chain.ts). Durations and
 * sizes that AWS alone would tell are inputs, named in `ASSUMPTIONS` and printed with the table.
 */
export interface Design {
  name: string;
  memoryMb: number;
  /** Invocations a minute, and the billed seconds of one. */
  invocationsPerMinute: (passMs: number) => { count: number; seconds: number }[];
  /** Heartbeat reads and writes, and tick-queue requests, a minute. */
  chain: { reads: number; writes: number; sqsRequests: number };
}

export const MINUTES_PER_MONTH = 30 * 24 * 60;
export const RECHECK_SECONDS = 15;
const PASSES_PER_MINUTE = 60 / RECHECK_SECONDS;

export const ASSUMPTIONS = {
  /** Billed ms of one pass over n environments (10 at a time, one round trip each; moto measured slower). */
  passMs: (environments: number) => 80 + 15 * environments,
  /** Billed ms of a schedule that finds the chain alive: one GetItem. */
  idleScheduleMs: 15,
  /** Queue-driven services an environment has (CGAP: the ingester). */
  queuesPerEnvironment: 1,
  /** WRU of a history write: the hour's item grows to ~60 samples (≤ 3 KB); ~2 KB on average. */
  historyWriteUnits: 2,
  /** Lambda's SQS pollers long-poll an idle queue: 5 pollers × one 20 s ReceiveMessage each. */
  idleReceivesPerMinute: 5 * 3,
  /** Log bytes a pass writes per service (decision line and EMF record), and per invocation (START/END/REPORT). */
  logBytesPerServicePass: 1100,
  logBytesPerInvocation: 350,
} as const;

export const BEFORE: Design = {
  name: 'before: one invocation a minute sleeping between its 4 passes (512 MB)',
  memoryMb: 512,
  // 3 sleeps of 15 s between 4 passes.
  invocationsPerMinute: (passMs) => [{ count: 1, seconds: 3 * RECHECK_SECONDS + (4 * passMs) / 1000 }],
  chain: { reads: 0, writes: 0, sqsRequests: 0 },
};

export const AFTER: Design = {
  name: 'after: a chain of delayed ticks, one pass per invocation (256 MB)',
  memoryMb: 256,
  invocationsPerMinute: (passMs) => [
    { count: PASSES_PER_MINUTE, seconds: passMs / 1000 },
    { count: 1, seconds: ASSUMPTIONS.idleScheduleMs / 1000 },
  ],
  // Each tick: GetItem + conditional PutItem, SendMessage of the next and the poller's Delete; the
  // schedule: one GetItem. The pollers' idle long polls come on top.
  chain: {
    reads: PASSES_PER_MINUTE + 1,
    writes: PASSES_PER_MINUTE,
    sqsRequests: 2 * PASSES_PER_MINUTE + ASSUMPTIONS.idleReceivesPerMinute,
  },
};

export interface Bill {
  gbSeconds: number;
  invocations: number;
  dynamoReads: number;
  dynamoWrites: number;
  sqsRequests: number;
  /** Free, counted: DescribeServices a month. */
  ecsCalls: number;
  logGb: number;
  dollars: { lambda: number; dynamodb: number; sqs: number; logs: number; total: number };
}

export function monthlyBill(design: Design, environments: number): Bill {
  const queues = environments * ASSUMPTIONS.queuesPerEnvironment;
  const passes = PASSES_PER_MINUTE * MINUTES_PER_MONTH;
  const runs = design.invocationsPerMinute(ASSUMPTIONS.passMs(environments));
  const invocations = runs.reduce((sum, run) => sum + run.count, 0) * MINUTES_PER_MONTH;
  const seconds = runs.reduce((sum, run) => sum + run.count * run.seconds, 0) * MINUTES_PER_MONTH;
  const gbSeconds = (seconds * design.memoryMb) / 1024;
  // Per environment and pass: one strongly consistent Query of its partition (< 4 KB: 1 RRU).
  const dynamoReads = passes * environments + design.chain.reads * MINUTES_PER_MONTH;
  // Per service: a history sample a minute, the scaling record's heartbeat every 2.5 min.
  const perServiceWrites = MINUTES_PER_MONTH * ASSUMPTIONS.historyWriteUnits + MINUTES_PER_MONTH / 2.5;
  const dynamoWrites = queues * perServiceWrites + design.chain.writes * MINUTES_PER_MONTH;
  // Per queue and pass: one GetQueueAttributes, a billed SQS request like any other.
  const sqsRequests = passes * queues + design.chain.sqsRequests * MINUTES_PER_MONTH;
  const logBytes =
    passes * queues * ASSUMPTIONS.logBytesPerServicePass + invocations * ASSUMPTIONS.logBytesPerInvocation;
  const logGb = logBytes / 1024 ** 3;
  const lambda = gbSeconds * PRICES.lambdaGbSecond + invocations * PRICES.lambdaRequest;
  const dynamodb = dynamoReads * PRICES.dynamoRead + dynamoWrites * PRICES.dynamoWrite;
  const sqs = sqsRequests * PRICES.sqsRequest;
  const logs = logGb * PRICES.logsGb;
  return {
    ...{ gbSeconds, invocations, dynamoReads, dynamoWrites, sqsRequests, logGb },
    ecsCalls: passes * environments,
    dollars: { lambda, dynamodb, sqs, logs, total: lambda + dynamodb + sqs + logs },
  };
}
