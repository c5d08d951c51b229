import type { QueueBacklog, ServiceCounts } from '../../src/domain/scaling.js';
import { SimulatedService, type Step } from './ecs-service.js';
import { EventQueue } from './event-queue.js';
import type { Scenario } from './scenario.js';
import { type AgeStep, SimulatedQueue } from './sqs-queue.js';
import type { Trace } from './trace.js';

/** What a scaling policy can see and do: the same calls a real autoscaler makes. */
export interface ScalerView {
  readonly now: number;
  readonly scenario: Scenario;
  /** GetQueueAttributes: approximate and late (World). */
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
  /** The key of the JSON result and of the chart colours. */
  key: string;
  label: string;
  initialDesired(scenario: Scenario): number;
  start(view: ScalerView): void;
}

/** What happened to one trace under one policy, up to the horizon. */
export interface PolicyRun {
  key: string;
  label: string;
  /** Per message, in trace order: arrival to the start of the attempt that finished it; Infinity if none did. */
  waits: number[];
  doneAt: number[];
  billed: Step[];
  /** The oldest waiting message's arrival over time (its age is what an operator watches). */
  ages: AgeStep[];
  /** When busy tasks were stopped with unfinished work, one entry per message. */
  interruptions: number[];
  /** Undefined for policies that make no calls (the clairvoyant bound). */
  updateServiceCalls: number | undefined;
  reversals: number | undefined;
}

/** Replays a trace against the simulated queue and service, driven by one policy, until `horizon`. */
export function simulate(trace: Trace, scenario: Scenario, policy: SimulatedPolicy, horizon: number): PolicyRun {
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
    initialDesired: policy.initialDesired(scenario),
  });
  // One arrival event at a time: the event queue holds what is pending, not the whole trace.
  const arrive = (index: number): void => {
    queue.send(index, now);
    service.dispatch();
    const next = trace.messages[index + 1];
    if (next !== undefined)
      events.push(next.arrival, () => {
        arrive(index + 1);
      });
  };
  const first = trace.messages[0];
  if (first !== undefined)
    events.push(first.arrival, () => {
      arrive(0);
    });
  const every = (periodSeconds: number, action: () => void, firstAtSeconds = 0): void => {
    const tick = (): void => {
      action();
      events.push(now + periodSeconds, tick);
    };
    events.push(firstAtSeconds, tick);
  };
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
  for (let next = events.pop(); next !== undefined && next.at <= horizon; next = events.pop()) {
    now = next.at;
    next.run();
  }
  return {
    key: policy.key,
    label: policy.label,
    waits: queue.messages.map((message) => message.finalStart - message.arrival),
    doneAt: queue.messages.map((message) => message.doneAt),
    billed: service.billed,
    ages: queue.ages,
    interruptions: service.interruptions,
    updateServiceCalls: service.updateServiceCalls,
    reversals: service.reversals,
  };
}
