import type { QueueBacklog, ServiceCounts } from '../../src/domain/scaling.js';
import { SimulatedService, type Step } from './ecs-service.js';
import { EventQueue } from './event-queue.js';
import type { Scenario } from './scenario.js';
import { SimulatedQueue } from './sqs-queue.js';
import type { Trace } from './trace.js';

/** What a scaling policy can see and do: the same calls a real autoscaler makes. */
export interface ScalerView {
  readonly now: number;
  readonly scenario: Scenario;
  /** GetQueueAttributes: approximate, late by up to a minute. */
  queueCounts(): QueueBacklog;
  /** DescribeServices. */
  serviceCounts(): ServiceCounts;
  /** UpdateService with a desired count (a no-op when it equals the current one). */
  updateService(desiredCount: number): void;
  /** Runs `action` at `firstAtSeconds`, then every `periodSeconds`. */
  every(periodSeconds: number, action: () => void, firstAtSeconds?: number): void;
  after(delaySeconds: number, action: () => void): void;
}

export interface SimulatedPolicy {
  key: string;
  label: string;
  /** Whether its consumers hold ECS task scale-in protection while busy. */
  protectsBusyTasks: boolean;
  initialDesired(scenario: Scenario): number;
  start(view: ScalerView): void;
}

export interface Sample {
  at: number;
  /** Visible messages (waiting for a task). */
  waiting: number;
  /** Tasks starting, running or stopping. */
  tasks: number;
}

/** What happened to one trace under one policy. */
export interface PolicyRun {
  key: string;
  label: string;
  /** Per message, in trace order: arrival to the start of the attempt that finished it; Infinity if none did. */
  waits: number[];
  doneAt: number[];
  billed: Step[];
  samples: Sample[];
  /** Undefined for policies that make no calls (the clairvoyant bound). */
  updateServiceCalls: number | undefined;
  reversals: number | undefined;
  interrupted: number;
  endedAt: number;
}

export const SAMPLE_SECONDS = 60;

/** Replays a trace against the simulated queue and service, driven by one policy. */
export function simulate(trace: Trace, scenario: Scenario, policy: SimulatedPolicy): PolicyRun {
  const events = new EventQueue();
  let now = 0;
  const queue = new SimulatedQueue(trace.messages, scenario);
  const service = new SimulatedService({
    scenario,
    queue,
    schedule: (at, action) => {
      events.push(at, action);
    },
    clock: () => now,
    // A scenario whose consumers cannot protect themselves (CGAP's stock ingester) overrides the policy's.
    protectsBusyTasks: policy.protectsBusyTasks && scenario.tasksProtectThemselves !== false,
    initialDesired: policy.initialDesired(scenario),
  });
  trace.messages.forEach((message, index) => {
    events.push(message.arrival, () => {
      queue.send(index, now);
      service.dispatch();
    });
  });
  const every = (periodSeconds: number, action: () => void, firstAtSeconds = 0): void => {
    const tick = (): void => {
      action();
      events.push(now + periodSeconds, tick);
    };
    events.push(firstAtSeconds, tick);
  };
  const samples: Sample[] = [];
  every(SAMPLE_SECONDS, () =>
    samples.push({ at: now, waiting: queue.visible, tasks: service.billed.at(-1)?.value ?? 0 }),
  );
  policy.start({
    get now() {
      return now;
    },
    scenario,
    queueCounts: () => queue.approximateCounts(now),
    serviceCounts: () => service.counts(),
    updateService: (desiredCount) => {
      service.update(desiredCount);
    },
    every,
    after: (delaySeconds, action) => {
      events.push(now + delaySeconds, action);
    },
  });

  // A policy that never serves some message stops here: long enough for one task to do everything.
  const lastArrival = trace.messages.at(-1)?.arrival ?? 0;
  const totalWork = trace.messages.reduce((sum, message) => sum + message.processing, 0);
  let endAt = lastArrival + scenario.visibilityTimeoutSeconds + totalWork + 86_400;
  let settling = false;
  for (let next = events.pop(); next !== undefined && next.at <= endAt; next = events.pop()) {
    now = next.at;
    next.run();
    if (!settling && queue.allDone && now >= lastArrival) {
      settling = true;
      endAt = now + scenario.settleSeconds;
    }
  }
  return {
    key: policy.key,
    label: policy.label,
    waits: queue.messages.map((message) => message.finalStart - message.arrival),
    doneAt: queue.messages.map((message) => message.doneAt),
    billed: service.billed,
    samples,
    updateServiceCalls: service.updateServiceCalls,
    reversals: service.reversals,
    interrupted: service.interrupted,
    endedAt: endAt,
  };
}
