import { describe, expect, it } from 'vitest';
import { benchmarkTrace } from '../../../bench/autoscale/benchmark.js';
import { EventQueue } from '../../../bench/autoscale/event-queue.js';
import { horizonOf, percentile, taskSecondsUntil } from '../../../bench/autoscale/metrics.js';
import { DEFAULT_SCENARIO, type Scenario } from '../../../bench/autoscale/scenario.js';
import { SimulatedQueue } from '../../../bench/autoscale/sqs-queue.js';
import { burstsOf, parseTraceCsv } from '../../../bench/autoscale/trace.js';
import { burst, HOUR, MINUTE, scenario, traceOf, trickle } from './autoscale-fixtures.js';

const summary = (trace: ReturnType<typeof traceOf>, key: string, overrides: Partial<Scenario> = {}) =>
  benchmarkTrace(trace, { ...scenario, ...overrides }).summaries.find((candidate) => candidate.key === key);
/** When a run first asked for a task (its first billed step above zero). */
const firstLaunch = (trace: ReturnType<typeof traceOf>, key: string, overrides: Partial<Scenario>) =>
  benchmarkTrace(trace, { ...scenario, ...overrides })
    .runs.find((run) => run.key === key)
    ?.billed.find((step) => step.value > 0)?.at;

describe('autoscaling simulator: one world for every policy', () => {
  it('is deterministic for a seed', () => {
    const first = benchmarkTrace(burst, scenario);
    const second = benchmarkTrace(burst, scenario);
    expect(second.summaries).toEqual(first.summaries);
    expect(second.runs.map((run) => run.ages)).toEqual(first.runs.map((run) => run.ages));
  });

  it('a fixed single task drains a trickle without waiting', () => {
    expect(summary(trickle, 'fixedOne')).toMatchObject({
      p99Wait: 0,
      unserved: 0,
      interrupted: 0,
      updateServiceCalls: 0,
    });
  });

  it.each([trickle, burst])('the clairvoyant bound waits and pays no more than any policy ($name)', (trace) => {
    const { summaries } = benchmarkTrace(trace, scenario);
    const bound = summaries.find((candidate) => candidate.key === 'clairvoyant');
    for (const policy of summaries) {
      expect(policy.p95Wait).toBeGreaterThanOrEqual(bound?.p95Wait ?? Infinity);
      expect(policy.p99Wait).toBeGreaterThanOrEqual(bound?.p99Wait ?? Infinity);
      expect(policy.taskMinutes).toBeGreaterThanOrEqual(bound?.taskMinutes ?? Infinity);
    }
  });

  it('with protection on, no policy interrupts work; with it off, KEDA and the conductor may', () => {
    const protectedRuns = benchmarkTrace(burst, scenario).summaries;
    expect(protectedRuns.map((run) => run.interrupted)).toEqual(protectedRuns.map(() => 0));
    // KEDA at 5 per replica wants ceil(12 / 5) = 3 tasks, then fewer as the backlog shrinks, while all work.
    expect(summary(burst, 'kedaDefaults', { protection: false })?.interrupted).toBeGreaterThan(0);
  });

  it('a handed-back message is served again at once; without hand-back only after the visibility timeout', () => {
    const handBack = summary(burst, 'kedaDefaults', { protection: false });
    const timeout = summary(burst, 'kedaDefaults', { protection: false, stop: { graceSeconds: 30, handBack: false } });
    // KEDA stops busy tasks again and again here, so even handed back the last message waits hours.
    expect(handBack?.p99Wait).toBeLessThan(scenario.visibilityTimeoutSeconds);
    expect(timeout?.p99Wait).toBeGreaterThanOrEqual(scenario.visibilityTimeoutSeconds);
  });

  it('target tracking acts a datapoint later by the alarm delay; CDK steps never exceed their default max of 2', () => {
    const two = traceOf('two', [
      [2 * HOUR, 30 * MINUTE],
      [2 * HOUR + 1, 30 * MINUTE],
    ]);
    const exact = { countNoise: 0, phantomsPerDay: 0 };
    const prompt = firstLaunch(two, 'targetTracking', { ...exact, alarmDelaySeconds: 0 }) ?? 0;
    expect(firstLaunch(two, 'targetTracking', { ...exact, alarmDelaySeconds: 60 })).toBe(prompt + 60);
    const herd = traceOf(
      'herd',
      Array.from({ length: 300 }, (_, index): [number, number] => [HOUR + index, 5 * MINUTE]),
    );
    const cdk = benchmarkTrace(herd, scenario).runs.find((run) => run.key === 'cdkSteps');
    expect(Math.max(...(cdk?.billed.map((step) => step.value) ?? []))).toBe(2);
  });

  it('KEDA at queueLength = messagesPerTask asks for a task per message; at its default 5, one per five', () => {
    const twelve = traceOf(
      'twelve',
      Array.from({ length: 12 }, (_, index): [number, number] => [HOUR + index, HOUR]),
    );
    const peak = (key: string) =>
      Math.max(
        ...(benchmarkTrace(twelve, { ...scenario, maxTasks: 10 })
          .runs.find((run) => run.key === key)
          ?.billed.map((step) => step.value) ?? []),
      );
    expect(peak('keda')).toBe(10);
    expect(peak('kedaDefaults')).toBe(3);
  });

  // With exact counts: an in-flight message that SQS's lagging or noisy count hides cannot hold off a scale-in.
  it('stops no busy task when the tasks cannot protect themselves and the counts are exact', () => {
    const unprotected = { protection: false, countNoise: 0, phantomsPerDay: 0, maxCountLagSeconds: 0 };
    expect(summary(burst, 'conductor', unprotected)).toMatchObject({ interrupted: 0, unserved: 0 });
    // Target tracking, which has no such rule, stops busy tasks in the same world.
    expect(summary(burst, 'targetTracking', unprotected)?.interrupted).toBeGreaterThan(0);
  });

  it('the conductor starts a task for one message; target tracking with a target of 1 never does', () => {
    const lone = traceOf('lone', [[2 * HOUR, 10 * MINUTE]]);
    const exact = { countNoise: 0, phantomsPerDay: 0 };
    // A 60 s count lag, a 15 s check and a 30–90 s start.
    expect(summary(lone, 'conductor', exact)?.p50Wait).toBeLessThan(165);
    expect(summary(lone, 'targetTracking', exact)).toMatchObject({ unserved: 1, p50Wait: Infinity });
  });

  it('ends every run at one horizon: one always-ready task done with the trace, plus the settle time', () => {
    // One task does the first message from 0 to 30 min and the second from 30 to 60 min.
    const serial = traceOf('serial', [
      [0, 30 * MINUTE],
      [60, 30 * MINUTE],
    ]);
    expect(horizonOf(serial, scenario)).toBe(60 * MINUTE + scenario.settleSeconds);
    expect(horizonOf(burst, scenario)).toBeGreaterThan(4 * HOUR);
  });
});

describe('simulated GetQueueAttributes', () => {
  const read = (world: Partial<Scenario>, messages: [number, number][], at: number) => {
    const queue = new SimulatedQueue(
      messages.map(([arrival, processing]) => ({ arrival, processing })),
      { ...DEFAULT_SCENARIO, ...world },
    );
    messages.forEach((_, index) => {
      queue.send(index, messages[index]?.[0] ?? 0);
    });
    return queue.approximateCounts(at);
  };

  it('with a steady lag, a message shows exactly a lag after it was sent', () => {
    const world = { lag: 'steady' as const, countNoise: 0, phantomsPerDay: 0 };
    expect(read(world, [[100, 60]], 159.9).visible).toBe(0);
    expect(read(world, [[100, 60]], 160).visible).toBe(1);
  });

  it('an empty queue reads 1 or 2 now and then (phantoms), and never without them', () => {
    const queue = new SimulatedQueue([], { ...DEFAULT_SCENARIO, phantomsPerDay: 24 });
    const reads = Array.from({ length: 5760 }, (_, index) => queue.approximateCounts(index * 15));
    const phantoms = reads.filter((counts) => counts.visible + counts.inFlight > 0);
    expect(phantoms.length).toBeGreaterThan(24);
    expect(Math.max(...phantoms.map((counts) => counts.visible + counts.inFlight))).toBeLessThanOrEqual(2);
    const none = new SimulatedQueue([], { ...DEFAULT_SCENARIO, phantomsPerDay: 0 });
    expect(
      Array.from({ length: 5760 }, (_, index) => none.approximateCounts(index * 15).visible).every((v) => v === 0),
    ).toBe(true);
  });
});

describe('metrics', () => {
  it('counts task-minutes up to the horizon, holding the last count', () => {
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
