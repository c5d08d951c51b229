import type { Step } from './ecs-service.js';
import type { Scenario } from './scenario.js';
import { SAMPLE_SECONDS, type PolicyRun, type Sample } from './simulate.js';
import type { Trace } from './trace.js';

/**
 * (f) The clairvoyant bound: knowing every arrival in advance, `maxTasks` tasks are ready the
 * instant work arrives (no start latency, exact counts) and exist only while they work. Messages
 * are served oldest first, as SQS roughly does for every policy. No policy bounded by `maxTasks`
 * can wait less on the same service order, nor pay for less than the work itself.
 */
export function clairvoyantRun(trace: Trace, scenario: Scenario): PolicyRun {
  const slots = Array.from({ length: scenario.maxTasks * scenario.messagesPerTask }, () => 0);
  const starts: number[] = [];
  const doneAt: number[] = [];
  for (const message of trace.messages) {
    const earliest = slots.reduce((best, freeAt, index) => (freeAt < (slots[best] ?? Infinity) ? index : best), 0);
    const start = Math.max(message.arrival, slots[earliest] ?? 0);
    starts.push(start);
    doneAt.push(start + message.processing);
    slots[earliest] = start + message.processing;
  }
  const endedAt = Math.max(0, ...doneAt) + scenario.settleSeconds;
  const billed = busyTaskSteps(starts, doneAt, scenario.messagesPerTask);
  return {
    key: 'clairvoyant',
    label: '(f) clairvoyant bound',
    waits: trace.messages.map((message, index) => (starts[index] ?? Infinity) - message.arrival),
    doneAt,
    billed,
    samples: sampleOf(trace, starts, billed, endedAt),
    updateServiceCalls: undefined,
    reversals: undefined,
    interrupted: 0,
    endedAt,
  };
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

function sampleOf(trace: Trace, starts: readonly number[], billed: readonly Step[], endedAt: number): Sample[] {
  const sortedStarts = [...starts].sort((a, b) => a - b);
  const samples: Sample[] = [];
  let arrived = 0;
  let started = 0;
  let step = 0;
  for (let at = 0; at <= endedAt; at += SAMPLE_SECONDS) {
    while ((trace.messages[arrived]?.arrival ?? Infinity) <= at) arrived += 1;
    while ((sortedStarts[started] ?? Infinity) <= at) started += 1;
    while ((billed[step + 1]?.at ?? Infinity) <= at) step += 1;
    samples.push({ at, waiting: arrived - started, tasks: billed[step]?.value ?? 0 });
  }
  return samples;
}
