import type { Step } from './ecs-service.js';
import type { Scenario } from './scenario.js';
import type { PolicyRun } from './simulate.js';
import type { AgeStep } from './sqs-queue.js';
import type { Trace } from './trace.js';

/**
 * The clairvoyant bound: knowing every arrival in advance, `maxTasks` tasks are ready the instant work
 * arrives (no start latency, exact counts) and exist only while they work. Messages are served oldest
 * first, as every simulated queue serves them. No policy bounded by `maxTasks` can wait less on the
 * same service order, nor pay for less than the work itself.
 */
export function clairvoyantRun(trace: Trace, scenario: Scenario): PolicyRun {
  const starts = serveInOrder(trace, scenario.maxTasks * scenario.messagesPerTask);
  const doneAt = trace.messages.map((message, index) => (starts[index] ?? 0) + message.processing);
  return {
    key: 'clairvoyant',
    label: 'clairvoyant bound',
    waits: trace.messages.map((message, index) => (starts[index] ?? Infinity) - message.arrival),
    doneAt,
    billed: busyTaskSteps(starts, doneAt, scenario.messagesPerTask),
    ages: agesOf(trace, starts),
    interruptions: [],
    updateServiceCalls: undefined,
    reversals: undefined,
  };
}

/** Start times when `slots` servers take messages in arrival order, each the earliest free one. */
export function serveInOrder(trace: Trace, slots: number): number[] {
  const freeAt = Array.from({ length: Math.max(1, slots) }, () => 0);
  return trace.messages.map((message) => {
    let earliest = 0;
    freeAt.forEach((at, index) => {
      if (at < (freeAt[earliest] ?? Infinity)) earliest = index;
    });
    const start = Math.max(message.arrival, freeAt[earliest] ?? 0);
    freeAt[earliest] = start + message.processing;
    return start;
  });
}

function busyTaskSteps(starts: readonly number[], ends: readonly number[], messagesPerTask: number): Step[] {
  const changes = [...starts.map((at) => ({ at, delta: 1 })), ...ends.map((at) => ({ at, delta: -1 }))].sort(
    (a, b) => a.at - b.at || a.delta - b.delta,
  );
  const steps: Step[] = [{ at: 0, value: 0 }];
  let busy = 0;
  for (const { at, delta } of changes) {
    busy += delta;
    const value = Math.ceil(busy / messagesPerTask);
    if (steps.at(-1)?.at === at) steps.pop();
    if (steps.at(-1)?.value !== value) steps.push({ at, value });
  }
  return steps;
}

/** Served in arrival order, the oldest waiting message is the first one arrived and not yet started. */
function agesOf(trace: Trace, starts: readonly number[]): AgeStep[] {
  const ages: AgeStep[] = [{ at: 0, since: NaN }];
  const push = (at: number, since: number): void => {
    const last = ages.at(-1);
    if (last !== undefined && Object.is(last.since, since)) return;
    if (last?.at === at) ages.pop();
    ages.push({ at, since });
  };
  let oldest = 0; // first message not yet started
  let arrived = 0;
  const count = trace.messages.length;
  while (oldest < count) {
    const nextArrival = trace.messages[arrived]?.arrival ?? Infinity;
    const nextStart = starts[oldest] ?? Infinity;
    if (arrived < count && nextArrival <= nextStart) {
      arrived += 1;
      if (arrived - 1 === oldest && nextArrival < nextStart) push(nextArrival, nextArrival);
      continue;
    }
    oldest += 1;
    const next = trace.messages[oldest];
    push(nextStart, oldest < arrived && next !== undefined ? next.arrival : NaN);
  }
  return ages;
}
