import { describe, expect, it } from 'vitest';
import { benchmarkTrace } from '../../../bench/autoscale/benchmark.js';
import { chartSvg } from '../../../bench/autoscale/chart.js';
import { EventQueue } from '../../../bench/autoscale/event-queue.js';
import { percentile, taskSecondsUntil } from '../../../bench/autoscale/metrics.js';
import { DEFAULT_SCENARIO, type Scenario } from '../../../bench/autoscale/scenario.js';
import { burstsOf, parseTraceCsv, type Trace } from '../../../bench/autoscale/trace.js';

// Short traces (hours, not days) keep every test here to milliseconds.
const MINUTE = 60;
const HOUR = 3600;
const scenario: Scenario = { ...DEFAULT_SCENARIO, settleSeconds: 15 * MINUTE };

const traceOf = (name: string, messages: [arrival: number, processing: number][]): Trace => ({
  name,
  messages: messages.map(([arrival, processing]) => ({ arrival, processing })),
});
/** One message every 10 minutes for two hours, 2 minutes each: never two at once. */
const trickle = traceOf(
  'trickle',
  Array.from({ length: 12 }, (_, index): [number, number] => [HOUR + index * 10 * MINUTE, 2 * MINUTE]),
);
/** Twelve long ingestions at once after an idle hour, then a lone one three hours later. */
const burst = traceOf('burst', [
  ...Array.from({ length: 12 }, (_, index): [number, number] => [HOUR + index * 5, (20 + 2 * index) * MINUTE]),
  [4 * HOUR, 10 * MINUTE],
]);
const summary = (trace: Trace, key: string, overrides: Partial<Scenario> = {}) =>
  benchmarkTrace(trace, { ...scenario, ...overrides }).summaries.find((candidate) => candidate.key === key);

describe('autoscaling simulator', () => {
  it('is deterministic for a seed', () => {
    const first = benchmarkTrace(burst, scenario);
    const second = benchmarkTrace(burst, scenario);
    expect(second.summaries).toEqual(first.summaries);
    expect(second.runs.map((run) => run.samples)).toEqual(first.runs.map((run) => run.samples));
  });

  it('a fixed single task drains a trickle without waiting', () => {
    expect(summary(trickle, 'fixed')).toMatchObject({ p99Wait: 0, unserved: 0, interrupted: 0, updateServiceCalls: 0 });
  });

  it.each([trickle, burst])('the clairvoyant bound waits no longer than any policy ($name)', (trace) => {
    const { summaries } = benchmarkTrace(trace, scenario);
    const bound = summaries.find((candidate) => candidate.key === 'clairvoyant');
    expect(bound).toBeDefined();
    for (const policy of summaries) {
      expect(policy.p50Wait).toBeGreaterThanOrEqual(bound?.p50Wait ?? Infinity);
      expect(policy.p95Wait).toBeGreaterThanOrEqual(bound?.p95Wait ?? Infinity);
      expect(policy.p99Wait).toBeGreaterThanOrEqual(bound?.p99Wait ?? Infinity);
      expect(policy.taskMinutes).toBeGreaterThanOrEqual(bound?.taskMinutes ?? Infinity);
    }
  });

  it('stops busy tasks only for policies without scale-in protection', () => {
    const { summaries } = benchmarkTrace(burst, scenario);
    expect(summaries.find((candidate) => candidate.key === 'conductor')?.interrupted).toBe(0);
    // KEDA wants ceil(12 / 5) = 3 tasks and then fewer as the backlog shrinks, while all of them work.
    expect(summaries.find((candidate) => candidate.key === 'keda')?.interrupted).toBeGreaterThan(0);
  });

  // With exact counts: an in-flight message that SQS's lagging or noisy count hides cannot hold off a scale-in.
  it('stops no busy task when the tasks cannot protect themselves and the counts are exact', () => {
    const unprotected = { tasksProtectThemselves: false, countNoise: 0, maxCountLagSeconds: 0 };
    expect(summary(burst, 'conductor', unprotected)).toMatchObject({ interrupted: 0, unserved: 0 });
    // Target tracking, which has no such rule, stops busy tasks in the same scenario.
    expect(summary(burst, 'target-tracking', unprotected)?.interrupted).toBeGreaterThan(0);
  });

  it('the conductor starts a task for one message; target tracking with a target of 1 never does', () => {
    const lone = traceOf('lone', [[2 * HOUR, 10 * MINUTE]]);
    const exact = { countNoise: 0 };
    // Detection (15 s checks, counts up to 60 s late) plus a 30–90 s start.
    expect(summary(lone, 'conductor', exact)?.p50Wait).toBeLessThan(3 * MINUTE);
    expect(summary(lone, 'conductor', exact)?.updateServiceCalls).toBe(2);
    expect(summary(lone, 'target-tracking', exact)).toMatchObject({ unserved: 1, p50Wait: Infinity });
  });

  it('counts task-minutes up to the common horizon, holding the last count', () => {
    const steps = [
      { at: 0, value: 1 },
      { at: 60, value: 3 },
      { at: 120, value: 0 },
    ];
    expect(taskSecondsUntil(steps, 90)).toBe(60 + 3 * 30);
    expect(taskSecondsUntil([{ at: 0, value: 2 }], 100)).toBe(200);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99), percentile([7], 95)]).toEqual([
      50, 95, 99, 7,
    ]);
    expect(percentile([1, Infinity], 95)).toBe(Infinity);
  });

  it('draws one line per policy and panel', () => {
    const result = benchmarkTrace(trickle, scenario);
    const svg = chartSvg('trickle', result.runs, result.horizon);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2 * result.runs.length);
    expect(svg.length).toBeLessThan(60_000);
  });
});

describe('traces', () => {
  it('reads CSV with an optional header, comments and blank lines, sorted by arrival', () => {
    const trace = parseTraceCsv('traces/mine.csv', '# exported\narrival_seconds,processing_seconds\n\n30,5\n10,2.5\n');
    expect(trace).toEqual({
      name: 'mine',
      messages: [
        { arrival: 10, processing: 2.5 },
        { arrival: 30, processing: 5 },
      ],
    });
    expect(parseTraceCsv('plain.csv', '0,60').messages).toEqual([{ arrival: 0, processing: 60 }]);
  });

  it.each([
    ['10,abc', 'mine.csv:1: expected "arrival seconds,processing seconds", got "10,abc"'],
    ['5,1\nten,1', 'mine.csv:2: expected'],
    ['5,0', 'mine.csv:1: arrival must be ≥ 0 and processing > 0'],
    ['arrival,processing', 'mine.csv: no messages'],
  ])('rejects %j with the line', (text, message) => {
    expect(() => parseTraceCsv('mine.csv', text)).toThrow(message);
  });

  it('splits bursts at gaps of the given length', () => {
    expect(burstsOf(trickle.messages.slice(0, 3), 10 * MINUTE)).toEqual([[0], [1], [2]]);
    expect(burstsOf(burst.messages, 10 * MINUTE)).toEqual([Array.from({ length: 12 }, (_, index) => index), [12]]);
  });
});

describe('EventQueue', () => {
  it('runs in time order, ties in the order scheduled', () => {
    const events = new EventQueue();
    const ran: string[] = [];
    for (const [at, name] of [
      [5, 'c'],
      [1, 'a'],
      [5, 'd'],
      [3, 'b'],
      [0, 'first'],
    ] as const) {
      events.push(at, () => ran.push(name));
    }
    for (let next = events.pop(); next !== undefined; next = events.pop()) next.run();
    expect(ran).toEqual(['first', 'a', 'b', 'c', 'd']);
  });
});
