import { describe, expect, it } from 'vitest';
import {
  decideDesiredCount,
  ARRIVAL_MEMORY_WINDOWS,
  FLOW_WINDOWS,
  type ManualHold,
  type QueueBacklog,
  type ScalingDecision,
  type ScalingInput,
  type ScalingPolicy,
  type ScalingState,
} from '../../../src/domain/scaling.js';
import { nextWakeups, usualWakeup, type Wakeups } from '../../../src/domain/scaling-wakeups.js';

const T0 = Date.parse('2024-05-01T09:00:00Z');
const at = (second: number): number => T0 + second * 1000;
const ingester: ScalingPolicy = { minTasks: 0, maxTasks: 4, messagesPerTask: 1, stabilizationSeconds: 300 };

interface Case {
  desired: number;
  /** Defaults to `desired`. */
  running?: number;
  backlog?: Partial<QueueBacklog>;
  policy?: Partial<ScalingPolicy>;
  state?: ScalingState;
  hold?: ManualHold;
  rolloutActive?: boolean;
}

const inputFor = (c: Case, second = 0): ScalingInput => ({
  now: at(second),
  backlog: { visible: 0, inFlight: 0, delayed: 0, ...c.backlog },
  service: {
    desired: c.desired,
    running: c.running ?? c.desired,
    pending: Math.max(0, c.desired - (c.running ?? c.desired)),
  },
  policy: { ...ingester, ...c.policy },
  state: c.state ?? {},
  hold: c.hold,
  rolloutActive: c.rolloutActive ?? false,
});

/**
 * Decisions every `everySeconds` as the Lambda makes them: state carried over only when the decision
 * says to store it (or on every decision with `storeAll`, as before skipped writes), changes applied.
 */
function replay(
  desired: number,
  backlogAt: (second: number) => Partial<QueueBacklog>,
  untilSecond: number,
  everySeconds = 15,
  storeAll = false,
  policy: Partial<ScalingPolicy> = {},
  initialState: ScalingState = {},
) {
  let state: ScalingState = initialState;
  let current = desired;
  const changes: { second: number; to: number; reason: string }[] = [];
  const decisions: ScalingDecision[] = [];
  for (let second = 0; second <= untilSecond; second += everySeconds) {
    const decision = decideDesiredCount(
      inputFor({ desired: current, backlog: backlogAt(second), state, policy }, second),
    );
    decisions.push(decision);
    if (storeAll || decision.store !== 'none') state = decision.nextState;
    if (decision.change) {
      changes.push({ second, to: decision.desiredCount, reason: decision.reason });
      current = decision.desiredCount;
    }
  }
  return { changes, decisions, current, state };
}

describe('decideDesiredCount: one decision', () => {
  it.each<[string, Case, number, RegExp]>([
    [
      'zero backlog at zero tasks stays at zero',
      { desired: 0 },
      0,
      /^keep 0: need 0 = ceil\(\(0 visible \+ 0 in flight\) \/ 1 per task\) in \[0, 4\]$/,
    ],
    [
      'zero backlog below minTasks rises to minTasks',
      { desired: 0, policy: { minTasks: 1 } },
      1,
      /^scale out from zero 0 → 1: need 1/,
    ],
    [
      'one message scales out from zero',
      { desired: 0, backlog: { visible: 1 } },
      1,
      /^scale out from zero 0 → 1: need 1 = ceil\(\(1 visible/,
    ],
    [
      'in-flight only keeps the busy tasks',
      { desired: 2, backlog: { inFlight: 2 } },
      2,
      /^keep 2: need 2 = ceil\(\(0 visible \+ 2 in flight\)/,
    ],
    [
      'in-flight messages count toward the need',
      { desired: 1, backlog: { visible: 1, inFlight: 1 } },
      2,
      /^scale out 1 → 2/,
    ],
    // Messages of tasks that are gone come back when their visibility timeout passes; a new task could not take them now.
    [
      'in-flight messages beyond what the running tasks hold start no task',
      { desired: 1, backlog: { inFlight: 3 } },
      1,
      /^keep 1: need 1 = ceil\(\(0 visible \+ 1 of 3 in flight \(the most 1 running can hold\)\)/,
    ],
    [
      'in-flight messages count for running tasks only',
      { desired: 3, running: 1, backlog: { visible: 2, inFlight: 2 } },
      3,
      /^keep 3: need 3 = ceil\(\(2 visible \+ 1 of 2 in flight/,
    ],
    [
      'a backlog above maxTasks clamps to maxTasks',
      { desired: 1, backlog: { visible: 50 } },
      4,
      /^scale out 1 → 4: need 4 = ceil\(\(50 visible.*in \[0, 4\]/,
    ],
    [
      'a count above maxTasks comes down at once',
      { desired: 6, backlog: { visible: 50 } },
      4,
      /^scale in 6 → 4: above maxTasks$/,
    ],
    [
      'messagesPerTask divides the backlog, rounding up',
      { desired: 1, backlog: { visible: 25 }, policy: { messagesPerTask: 10 } },
      3,
      /^scale out 1 → 3: need 3 = ceil\(\(25 visible \+ 0 in flight\) \/ 10 per task\)/,
    ],
    // Delayed messages cannot be received before their delay ends: a task started for them would idle.
    [
      'delayed messages are not counted',
      { desired: 0, backlog: { delayed: 10 } },
      0,
      /^keep 0: need 0 = .*, 10 delayed not counted$/,
    ],
    ['nothing changes: no change', { desired: 2, backlog: { visible: 1, inFlight: 1 } }, 2, /^keep 2: need 2/],
    [
      'a lower need waits for the window',
      { desired: 3, backlog: { inFlight: 1 } },
      3,
      /^keep 3: need 1 .* below 3 for 0 s of the 300 s window$/,
    ],
    [
      'an active rollout is not fought',
      { desired: 1, backlog: { visible: 10 }, rolloutActive: true },
      1,
      /^keep 1: a rollout of the service is in progress \(would scale out 1 → 4/,
    ],
    [
      'an active hold pins the count',
      { desired: 1, hold: { desiredCount: 3, until: at(600) } },
      3,
      /^scale out 1 → 3: manual hold until 2024-05-01T09:10:00.000Z/,
    ],
    [
      'an active hold outranks the backlog',
      { desired: 3, backlog: { visible: 50 }, hold: { desiredCount: 3, until: new Date(at(600)) } },
      3,
      /^keep 3: manual hold/,
    ],
    [
      'a hold outside the bounds is clamped',
      { desired: 1, hold: { desiredCount: 9, until: at(600) } },
      4,
      /^scale out 1 → 4: manual hold/,
    ],
    [
      'an expired hold is ignored',
      { desired: 3, backlog: { visible: 3 }, hold: { desiredCount: 1, until: at(0) } },
      3,
      /^keep 3: need 3/,
    ],
    [
      'a rollout outranks a hold',
      { desired: 1, hold: { desiredCount: 3, until: at(600) }, rolloutActive: true },
      1,
      /^keep 1: a rollout/,
    ],
  ])('%s', (_name, c, desiredCount, reason) => {
    const decision = decideDesiredCount(inputFor(c));
    expect(decision.desiredCount).toBe(desiredCount);
    expect(decision.change).toBe(desiredCount !== c.desired);
    expect(decision.direction).toBe(desiredCount > c.desired ? 'out' : desiredCount < c.desired ? 'in' : 'none');
    expect(decision.reason).toMatch(reason);
  });

  it('never goes below the tasks busy with in-flight messages, whatever the window saw before', () => {
    // The window saw no need for 10 minutes, but two messages are now in flight.
    const state: ScalingState = {
      checkedAt: at(-15),
      lowerNeed: [0, 1, 2, 3].map((atMost) => ({ atMost, since: at(-600) })),
      emptySince: at(-600),
    };
    const decision = decideDesiredCount(inputFor({ desired: 4, backlog: { inFlight: 2 }, state }));
    expect(decision).toMatchObject({ desiredCount: 3, change: true, busyTasks: 2, direction: 'in' });
    expect(decision.reason).toBe(
      'scale in 4 → 3: need has stayed ≤ 2 for 600 s (window 300 s); 2 busy with in-flight messages and one spare',
    );
    // Arrivals recent or not: old in-flight work keeps its tasks just the same.
    const lone = decideDesiredCount(inputFor({ desired: 4, backlog: { inFlight: 1 }, state }));
    expect(lone).toMatchObject({ desiredCount: 2, busyTasks: 1 });
  });

  it('does not scale to zero while in-flight messages of vanished tasks may come back', () => {
    const state: ScalingState = { checkedAt: at(-15), lowerNeed: [{ atMost: 0, since: at(-600) }] };
    const decision = decideDesiredCount(inputFor({ desired: 1, running: 0, backlog: { inFlight: 1 }, state }));
    expect(decision).toMatchObject({ desiredCount: 1, change: false, need: 0, busyTasks: 0 });
    expect(decision.reason).toBe(
      'keep 1: not to zero before the queue is empty for the window (queue empty for 0 s of the 300 s window)',
    );
  });

  it('records the change and starts windows for the counts below the new count', () => {
    const decision = decideDesiredCount(inputFor({ desired: 4, backlog: { inFlight: 1 } }, 0));
    expect(decision.nextState).toEqual({
      checkedAt: at(0),
      lowerNeed: [1, 2, 3].map((atMost) => ({ atMost, since: at(0) })),
      noneVisibleSince: at(0),
      // The first check has no earlier backlog to have risen from: the level starts at this reading.
      backlogRose: { readings: [1, 1, 1] },
    });
    const out = decideDesiredCount(inputFor({ desired: 1, backlog: { visible: 2 } }, 30));
    expect(out.nextState).toEqual({
      checkedAt: at(30),
      lowerNeed: [],
      lastChange: { at: at(30), from: 1, to: 2 },
      scaleOut: { at: at(30), from: 1, used: 0, busy: 0, fromIdle: true },
      backlogRose: { readings: [2, 2, 2] },
    });
  });

  it('restarts the window after a gap longer than the window (stale evidence)', () => {
    const state: ScalingState = { checkedAt: at(-3600), lowerNeed: [{ atMost: 1, since: at(-4000) }] };
    const decision = decideDesiredCount(inputFor({ desired: 2, backlog: { inFlight: 1 }, state }));
    expect(decision).toMatchObject({
      desiredCount: 2,
      change: false,
      nextState: { lowerNeed: [{ atMost: 1, since: at(0) }] },
    });
  });

  it('a hold pauses the autoscaler: its windows restart when the hold ends', () => {
    const state: ScalingState = { checkedAt: at(-15), lowerNeed: [{ atMost: 1, since: at(-600) }] };
    const held = decideDesiredCount(
      inputFor({ desired: 2, backlog: { inFlight: 1 }, state, hold: { desiredCount: 2, until: at(60) } }),
    );
    expect(held).toMatchObject({ desiredCount: 2, change: false, nextState: { checkedAt: at(0) } });
    expect(held.nextState.lowerNeed).toBeUndefined();
    const after = decideDesiredCount(
      inputFor(
        { desired: 2, backlog: { inFlight: 1 }, state: held.nextState, hold: { desiredCount: 2, until: at(60) } },
        75,
      ),
    );
    expect(after).toMatchObject({
      desiredCount: 2,
      change: false,
      nextState: { lowerNeed: [{ atMost: 1, since: at(75) }] },
    });
  });

  it('keeps observing during a rollout, so the window is not lost', () => {
    const during = replay(3, () => ({ inFlight: 1 }), 0).decisions[0];
    const state = during?.nextState ?? {};
    const rollout = decideDesiredCount({
      ...inputFor({ desired: 3, backlog: { inFlight: 1 }, state, rolloutActive: true }, 300),
    });
    expect(rollout).toMatchObject({ desiredCount: 3, change: false });
    expect(rollout.reason).toBe(
      'keep 3: a rollout of the service is in progress (would scale in 3 → 2: need has stayed ≤ 1 for 300 s (window 300 s); 1 busy with in-flight messages and one spare)',
    );
    const afterRollout = decideDesiredCount(
      inputFor({ desired: 3, backlog: { inFlight: 1 }, state: rollout.nextState }, 315),
    );
    expect(afterRollout).toMatchObject({ desiredCount: 2, change: true });
  });
});

describe('decideDesiredCount: decisions over time', () => {
  it.each<[string, number, (second: number) => Partial<QueueBacklog>, number, { second: number; to: number }[]]>([
    ['a lower need held less than the window changes nothing', 4, () => ({ inFlight: 1 }), 285, []],
    ['a lower need held for the window scales in', 4, () => ({ inFlight: 1 }), 600, [{ second: 300, to: 2 }]],
    // The need climbs back to the current count at 165 s: the window starts again at 180 s.
    [
      'a need rising to the current count mid-window resets it',
      4,
      (s) => (s === 165 ? { visible: 3, inFlight: 1 } : { inFlight: 1 }),
      600,
      [{ second: 480, to: 2 }],
    ],
    // Like the HPA: the highest need seen in the window wins, then the next level follows its own window.
    // The rise at 150 s is an arrival: rule 6b holds the tasks until a window has passed without one.
    [
      'a need rising below the current count scales in to the highest need of the window',
      4,
      // The need of 3 is read once: a need for the window, and no arrival (6b's level is the median of three).
      (s) => ({ inFlight: s >= 150 && s < 165 ? 3 : s < 500 ? 1 : 0 }),
      1200,
      [
        { second: 300, to: 3 },
        { second: 465, to: 2 },
        { second: 510, to: 1 },
        { second: 810, to: 0 },
      ],
    ],
    ['scales to zero only after an empty window, with minTasks 0', 1, () => ({}), 600, [{ second: 300, to: 0 }]],
    [
      'a message during the empty window restarts it',
      1,
      (s) => (s === 120 ? { visible: 1 } : {}),
      600,
      [{ second: 435, to: 0 }],
    ],
    ['in-flight work keeps its task: never to zero while busy', 1, () => ({ inFlight: 1 }), 3600, []],
    [
      'one message scales out from zero within one check',
      0,
      (s) => (s >= 30 ? { visible: 1 } : {}),
      60,
      [{ second: 30, to: 1 }],
    ],
    // Out at once, in only after a full window: one reversal costs a window, so no flapping.
    [
      'a reversal from out to in waits for the window',
      1,
      (s) => (s === 0 ? { visible: 3 } : { inFlight: 1 }),
      600,
      [
        { second: 0, to: 3 },
        { second: 315, to: 2 },
      ],
    ],
    [
      'a burst then a drain steps down with the in-flight work',
      0,
      (s) => (s < 60 ? { visible: 6 } : s < 900 ? { inFlight: 3 } : s < 1200 ? { inFlight: 1 } : {}),
      2400,
      [
        { second: 0, to: 4 },
        // Three busy keep a spare: the fourth task goes only when fewer are busy.
        { second: 900, to: 3 },
        { second: 1200, to: 1 },
        { second: 1500, to: 0 },
      ],
    ],
  ])('%s', (_name, desired, backlogAt, untilSecond, expected) => {
    const { changes, decisions } = replay(desired, backlogAt, untilSecond);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual(expected);
    // Skipped writes change no decision: the same run storing every state decides the same, reasons included.
    const storingAll = replay(desired, backlogAt, untilSecond, 15, true);
    expect(changes).toEqual(storingAll.changes);
    expect(decisions.map((decision) => decision.reason)).toEqual(
      storingAll.decisions.map((decision) => decision.reason),
    );
  });

  it('holds the tasks of a flow for three windows, and those of a tail for one (rule 6b)', () => {
    // Two busy, then one, every two minutes: each return to two is an arrival.
    const flow = replay(4, (s) => ({ inFlight: Math.floor(s / 120) % 2 === 0 ? 1 : 2 }), 1200);
    expect(flow.changes[0]).toMatchObject({ second: FLOW_WINDOWS * 300, to: 3 });
    // At 690 s (a check every 15 s): the last rise was read at 600 s, and the level moved a check later.
    expect(flow.decisions[690 / 15]?.reason).toMatch(
      / for 690 s of the 900 s window, a flow's window: the backlog rose 75 s ago$/,
    );
    // The same counts falling and never rising: a burst's tail, the usual window.
    const tail = replay(4, (s) => ({ inFlight: s < 120 ? 2 : 1 }), 1200);
    expect(tail.changes[0]).toMatchObject({ second: 300, to: 2 });
    // Arrivals that stop: the usual window counts from the end of the arrival memory (two windows
    // after the rise, read at 255 s), by when the need has stayed ≤ 2 far longer than a window.
    const stopped = replay(4, (s) => ({ inFlight: s >= 240 && s < 360 ? 2 : 1 }), 1200);
    expect(stopped.changes[0]).toMatchObject({ second: 255 + ARRIVAL_MEMORY_WINDOWS * 300, to: 2 });
  });

  it('takes one reading one too high for noise, not an arrival: the level is the median of three (rule 6b)', () => {
    const once = replay(4, (s) => ({ inFlight: s === 150 ? 2 : 1 }), 1200);
    expect(once.changes[0]).toMatchObject({ second: 300, to: 2 });
    expect(once.state.backlogRose?.at).toBeUndefined();
    // Read twice, it is an arrival (seen at 165 s), and arrivals are remembered for two windows, not one:
    // a flow of long messages often goes five minutes without one.
    const twice = replay(4, (s) => ({ inFlight: s === 150 || s === 165 ? 2 : 1 }), 1200);
    expect(twice.changes[0]).toMatchObject({ second: 165 + ARRIVAL_MEMORY_WINDOWS * 300, to: 2 });
    expect(twice.decisions[(165 + 300) / 15]?.reason).toMatch(/a flow's window: the backlog rose 300 s ago$/);
  });

  it("lets a burst's tail go as its tasks finish once arrivals have stopped and nothing waits (rule 6d)", () => {
    const burst = (s: number): Partial<QueueBacklog> =>
      s < 30
        ? {}
        : s < 90
          ? { visible: 6 }
          : s < 600
            ? { inFlight: 4 }
            : s < 900
              ? { inFlight: 3 }
              : s < 1500
                ? { inFlight: 1 }
                : {};
    const own = replay(0, burst, 2400, 15, false, { tasksProtectThemselves: true });
    expect(own.changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 30, to: 4 },
      // The rise was read at 45 s: two windows later arrivals have stopped, so the idle task goes at once.
      { second: 45 + ARRIVAL_MEMORY_WINDOWS * 300, to: 3 },
      { second: 900, to: 1 },
      // Zero still waits for the queue to be empty for the window.
      { second: 1800, to: 0 },
    ]);
    expect(own.changes[1]?.reason).toBe(
      'scale in 4 → 3: a tail, no arrival for 600 s and none visible for 555 s; 3 tasks busy',
    );
    // Tasks that may not protect themselves keep rule 6's window and spare, or rule 7's wait for no work in flight.
    const changesWith = (tasksProtectThemselves: boolean | undefined) =>
      replay(0, burst, 2400, 15, false, { tasksProtectThemselves }).changes.map(({ second, to }) => ({ second, to }));
    expect(changesWith(undefined)).toEqual([
      { second: 30, to: 4 },
      { second: 900, to: 3 },
      { second: 1200, to: 2 },
      { second: 1500, to: 1 },
      { second: 1800, to: 0 },
    ]);
    expect(changesWith(false)).toEqual([
      { second: 30, to: 4 },
      { second: 1500, to: 1 },
      { second: 1800, to: 0 },
    ]);
  });

  it('takes back a task a flow started for a message another task took, keeping one spare (rule 6c)', () => {
    // One busy of two; a reading one too high asks for a third, which never receives a message.
    const backlogAt = (s: number): Partial<QueueBacklog> => (s === 60 ? { visible: 2, inFlight: 1 } : { inFlight: 1 });
    const { changes } = replay(2, backlogAt, 900, 15, false, { tasksProtectThemselves: true });
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 60, to: 3 },
      { second: 135, to: 2 },
    ]);
    expect(changes[1]?.reason).toBe(
      'scale in 3 → 2: 1 of the tasks added 75 s ago never received a message and no message has read visible for 60 s',
    );
  });

  it('counts a task as used only when two readings in a row show it busy (rule 6c)', () => {
    // A wake-up of two for one message; one reading shows two in flight, one too high.
    const backlogAt = (s: number): Partial<QueueBacklog> =>
      s < 30 ? {} : s < 45 ? { visible: 2 } : s === 90 ? { inFlight: 2 } : { inFlight: 1 };
    const once = replay(0, backlogAt, 600, 15, false, { tasksProtectThemselves: true });
    expect(once.changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 30, to: 2 },
      { second: 105, to: 1 },
    ]);
    // Read twice, the second task was used: it stays, rule 6's spare beside the busy one.
    const twice = replay(0, (s) => (s === 105 ? { inFlight: 2 } : backlogAt(s)), 600, 15, false, {
      tasksProtectThemselves: true,
    });
    expect(twice.changes.map(({ second, to }) => ({ second, to }))).toEqual([{ second: 30, to: 2 }]);
  });

  it('with minTasks 1 an empty queue never scales to zero', () => {
    let state: ScalingState = {};
    for (let second = 0; second <= 3600; second += 15) {
      const decision = decideDesiredCount({ ...inputFor({ desired: 1, state, policy: { minTasks: 1 } }, second) });
      expect(decision.change).toBe(false);
      state = decision.nextState;
    }
  });

  it('makes at most one change per decision and none while the backlog is unchanged', () => {
    const { decisions } = replay(2, () => ({ visible: 1, inFlight: 1 }), 3600);
    expect(decisions.every((decision) => !decision.change)).toBe(true);
  });

  it('scales in from zero-window reasons with the numbers', () => {
    const { changes } = replay(1, () => ({}), 300);
    expect(changes[0]?.reason).toBe('scale in 1 → 0: queue empty for 300 s of the 300 s window');
  });
});

describe('decideDesiredCount: what to store', () => {
  const window = ingester.stabilizationSeconds;
  const steady = { desired: 2, backlog: { visible: 1, inFlight: 1 } };
  const first = decideDesiredCount(inputFor(steady, 0));

  it('stores the first decision: there is no record yet', () => {
    expect(first.store).toBe('state');
  });

  it('stores nothing when nothing changed and the record is younger than half a window', () => {
    for (const second of [15, 60, window / 2 - 1]) {
      expect(decideDesiredCount(inputFor({ ...steady, state: first.nextState }, second)).store).toBe('none');
    }
  });

  it('stores a heartbeat once the record is half a window old, so the checks are not taken for a gap', () => {
    const heartbeat = decideDesiredCount(inputFor({ ...steady, state: first.nextState }, window / 2));
    expect(heartbeat).toMatchObject({ store: 'heartbeat', change: false, nextState: { checkedAt: at(window / 2) } });
    expect(decideDesiredCount(inputFor({ ...steady, state: heartbeat.nextState }, window / 2 + 15)).store).toBe('none');
  });

  it('stores a change to apply, before anything else', () => {
    const out = decideDesiredCount(inputFor({ desired: 2, backlog: { visible: 3 }, state: first.nextState }, 15));
    expect(out).toMatchObject({ store: 'change', change: true, desiredCount: 3 });
  });

  it.each<[string, Case]>([
    ['a window starts (the need drops)', { desired: 2, backlog: { inFlight: 1 } }],
    ['the queue empties', { desired: 2, policy: { minTasks: 2 } }],
    ['a hold starts', { ...steady, hold: { desiredCount: 2, until: at(600) } }],
  ])('stores new evidence: %s', (_name, c) => {
    const decision = decideDesiredCount(inputFor({ ...c, state: first.nextState }, 15));
    expect(decision).toMatchObject({ store: 'state', change: false });
  });

  it('stores the end of a hold: its windows restart', () => {
    const held = decideDesiredCount(inputFor({ ...steady, hold: { desiredCount: 2, until: at(60) } }, 0));
    expect(
      decideDesiredCount(inputFor({ ...steady, state: held.nextState, hold: { desiredCount: 2, until: at(60) } }, 30))
        .store,
    ).toBe('none');
    expect(
      decideDesiredCount(inputFor({ ...steady, state: held.nextState, hold: { desiredCount: 2, until: at(60) } }, 75))
        .store,
    ).toBe('state');
  });

  it('treats a state read back from the table (keys reordered, empty lists) as the same evidence', () => {
    const windowOpen = decideDesiredCount(inputFor({ desired: 3, backlog: { inFlight: 1 } }, 0)).nextState;
    const readBack = JSON.parse(
      JSON.stringify({
        noneVisibleSince: windowOpen.noneVisibleSince,
        backlogRose: windowOpen.backlogRose,
        lowerNeed: windowOpen.lowerNeed,
        checkedAt: windowOpen.checkedAt,
      }),
    ) as ScalingState;
    expect(decideDesiredCount(inputFor({ desired: 3, backlog: { inFlight: 1 }, state: readBack }, 15)).store).toBe(
      'none',
    );
  });

  it('writes about twice a window on a quiet service instead of every check', () => {
    const { decisions } = replay(2, () => ({ visible: 1, inFlight: 1 }), 3600);
    const stored = decisions.filter((decision) => decision.store !== 'none');
    // 241 checks in an hour; the first decision, then a heartbeat every 150 s.
    expect(decisions).toHaveLength(241);
    expect(stored.map((decision) => decision.store)).toEqual(['state', ...Array<string>(24).fill('heartbeat')]);
  });

  it('still restarts the windows after a real gap, though most checks were not stored', () => {
    const { decisions } = replay(3, () => ({ inFlight: 1 }), 120);
    const stored = decisions.filter((decision) => decision.store !== 'none').at(-1)?.nextState ?? {};
    const afterGap = decideDesiredCount(
      inputFor({ desired: 3, backlog: { inFlight: 1 }, state: stored }, 120 + window + 1),
    );
    expect(afterGap).toMatchObject({
      store: 'state',
      change: false,
      nextState: { lowerNeed: [1, 2].map((atMost) => ({ atMost, since: at(120 + window + 1) })) },
    });
  });
});

describe('decideDesiredCount: scale-in that knows work is in flight (rule 6)', () => {
  const protectedTasks = { tasksProtectThemselves: true };

  it('never scales below the messages in flight, however long ago they arrived', () => {
    // One long message for an hour: its task stays, protected or not.
    expect(replay(1, () => ({ inFlight: 1 }), 3600, 15, false, protectedTasks).changes).toEqual([]);
    const busy = decideDesiredCount(inputFor({ desired: 4, backlog: { inFlight: 4 }, policy: protectedTasks }));
    expect(busy).toMatchObject({ desiredCount: 4, change: false, need: 4, busyTasks: 4 });
  });

  it('goes to zero only when nothing was visible or in flight for the whole window', () => {
    const { changes } = replay(1, (s) => (s < 600 ? { inFlight: 1 } : {}), 1500, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([{ second: 900, to: 0 }]);
    expect(changes[0]?.reason).toBe('scale in 1 → 0: queue empty for 300 s of the 300 s window');
  });

  it('keeps one spare task while work is in flight, for the next message of a flow', () => {
    const { changes } = replay(4, (s) => (s < 900 ? { inFlight: 2 } : {}), 1500, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 300, to: 3 },
      { second: 900, to: 2 },
      { second: 1200, to: 0 },
    ]);
    expect(changes[0]?.reason).toBe(
      'scale in 4 → 3: need has stayed ≤ 2 for 300 s (window 300 s); 2 busy with in-flight messages and one spare',
    );
  });

  it('a visible message brings back the need of the busy tasks too: they cannot take it before they finish', () => {
    const decision = decideDesiredCount(
      inputFor({ desired: 1, running: 3, backlog: { visible: 1, inFlight: 3 }, policy: protectedTasks }),
    );
    expect(decision).toMatchObject({ desiredCount: 4, direction: 'out', need: 4 });
  });

  it('without the setting the busy tasks stay the floor', () => {
    expect(replay(1, () => ({ inFlight: 1 }), 900).changes).toEqual([]);
  });
});

describe('decideDesiredCount: tasks that never received a message (rule 6c)', () => {
  const protectedTasks = { tasksProtectThemselves: true };
  const phantom = (s: number) => (s < 60 ? { visible: 1 } : {});

  it('a phantom count from zero: back to zero as soon as the empty queue is read late enough', () => {
    // The count reads 1 for the first minute (a phantom), then 0; nothing is ever in flight.
    const { changes } = replay(0, phantom, 600, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 1 },
      { second: 75, to: 0 },
    ]);
    expect(changes[1]?.reason).toBe(
      'scale in 1 → 0: 1 of the tasks added 75 s ago never received a message and no message has read visible for 15 s',
    );
  });

  it('a phantom count at an idle task: the task it added goes back as soon as the empty queue is read late enough', () => {
    const { changes } = replay(1, (s) => (s < 60 ? { visible: 2 } : {}), 600, 15, false, {
      ...protectedTasks,
      minTasks: 1,
    });
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 2 },
      { second: 75, to: 1 },
    ]);
  });

  it('within a flow (a task busy when it scaled out) the added task stays for the window', () => {
    const flow = (s: number) => (s < 60 ? { visible: 1, inFlight: 1 } : { inFlight: 1 });
    const { changes } = replay(1, flow, 600, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([{ second: 0, to: 2 }]);
  });

  it('waits until an empty read can postdate the scale-out: a minute-late count', () => {
    const { changes } = replay(0, (s) => (s < 15 ? { visible: 1 } : {}), 600, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 1 },
      { second: 75, to: 0 },
    ]);
  });

  const oneTooHigh = (s: number) => (s === 0 ? { visible: 1 } : s === 15 ? { visible: 2 } : { inFlight: 1 });

  it('a wake-up one too high: the unused task goes once nothing is visible, with tasks that protect themselves', () => {
    const twoAtOnce = (s: number) => (s === 0 ? { visible: 2 } : s < 60 ? { visible: 1 } : { inFlight: 1 });
    const { changes } = replay(0, twoAtOnce, 240, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 2 },
      { second: 75, to: 1 },
    ]);
  });

  it('a count one too high while no task was busy yet: the unused task goes once nothing is visible', () => {
    const { changes } = replay(0, oneTooHigh, 900, 15, false, protectedTasks);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 1 },
      { second: 15, to: 2 },
      { second: 90, to: 1 },
    ]);
  });

  it('without protection it waits for the window: a cut on a minute-late count might stop a busy task', () => {
    expect(replay(0, oneTooHigh, 900).changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 1 },
      { second: 15, to: 2 },
    ]);
    expect(replay(0, phantom, 600).changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 1 },
      { second: 360, to: 0 },
    ]);
  });

  it('tasks that received messages keep the window', () => {
    const received = (s: number) => (s < 60 ? { visible: 1 } : s < 120 ? { inFlight: 1 } : {});
    const { changes } = replay(0, received, 900, 15, false, protectedTasks);
    // Not at 75 s: its task took the message. Nothing visible or in flight from 120 s: zero a window later.
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 1 },
      { second: 420, to: 0 },
    ]);
  });
});

describe('decideDesiredCount: the usual size of a wake-up (rule 5b)', () => {
  /** A wake-up: 6 messages for two minutes, in flight for ten, then an empty queue until the end. */
  const burst = (s: number) => (s < 120 ? { visible: 6 } : s < 720 ? { inFlight: 4 } : {});

  const protectedTasks = { tasksProtectThemselves: true };

  it('remembers the peak of a wake-up that received messages, and wakes up to it next time', () => {
    const first = replay(0, burst, 1200, 15, false, protectedTasks);
    expect(first.current).toBe(0);
    expect(first.state.wakeups).toEqual({ peaks: [{ used: 4, at: at(0) }] });
    const next = decideDesiredCount(
      inputFor({ desired: 0, backlog: { visible: 1 }, state: first.state, policy: protectedTasks }, 3600),
    );
    expect(next).toMatchObject({ desiredCount: 4, need: 1 });
    expect(next.reason).toBe(
      "scale out from zero 0 → 4: the tasks the last week's wake-ups used (4; need 1 = ceil((1 visible + 0 in flight) / 1 per task) in [0, 4])",
    );
    expect(next.usualWakeup).toBe(4);
    expect(decideDesiredCount(inputFor({ desired: 0 })).usualWakeup).toBe(0);
  });

  it('wakes up to the need only when tasks do not protect themselves: a scale-in could stop a busy one', () => {
    const learned = replay(0, burst, 1200).state;
    expect(learned.wakeups).toEqual({ peaks: [{ used: 4, at: at(0) }] });
    expect(
      decideDesiredCount(inputFor({ desired: 0, backlog: { visible: 1 }, state: learned }, 3600)).desiredCount,
    ).toBe(1);
  });

  it('does not learn from a phantom', () => {
    const { state } = replay(0, (s) => (s < 60 ? { visible: 1 } : {}), 600, 15, false, protectedTasks);
    expect(state.wakeups).toBeUndefined();
  });

  it('lets the tasks a lone message does not need go at once', () => {
    const learned = replay(0, burst, 1200, 15, false, protectedTasks).state;
    const lone = (s: number) => (s < 60 ? { visible: 1 } : { inFlight: 1 });
    const { changes } = replay(0, lone, 240, 15, false, protectedTasks, learned);
    expect(changes.map(({ second, to }) => ({ second, to }))).toEqual([
      { second: 0, to: 4 },
      { second: 75, to: 1 },
    ]);
  });
});

describe('decideDesiredCount: a rhythm that forgets (rule 5b)', () => {
  const protectedTasks = { tasksProtectThemselves: true };
  const burst = (s: number) => (s < 120 ? { visible: 6 } : s < 720 ? { inFlight: 4 } : {});
  const lone = (s: number) => (s < 60 ? { visible: 1 } : s < 600 ? { inFlight: 1 } : {});
  const DAY = 24 * 3600;
  const wakeAt = (state: ScalingState, second: number) =>
    decideDesiredCount(inputFor({ desired: 0, backlog: { visible: 1 }, state, policy: protectedTasks }, second));
  /** `trace` replayed from zero, starting `offset` seconds after T0, with the state carried in. */
  const replayFrom = (offset: number, trace: (s: number) => Partial<QueueBacklog>, state: ScalingState) => {
    let current = 0;
    let carried = state;
    for (let second = 0; second <= 1200; second += 15) {
      const decision = decideDesiredCount(
        inputFor({ desired: current, backlog: trace(second), state: carried, policy: protectedTasks }, offset + second),
      );
      if (decision.store !== 'none') carried = decision.nextState;
      current = decision.desiredCount;
    }
    return carried;
  };

  it('learns from the tasks a wake-up used, not the count it started: a lone message teaches one', () => {
    const learned = replay(0, burst, 1200, 15, false, protectedTasks).state;
    expect(wakeAt(learned, 3600).desiredCount).toBe(4);
    const afterLone = replayFrom(DAY, lone, learned);
    expect(afterLone.wakeups?.peaks.map((peak) => peak.used)).toEqual([4, 1]);
    // The last wake-up used one task: the next starts what the backlog needs, not four.
    expect(wakeAt(afterLone, 2 * DAY)).toMatchObject({ desiredCount: 1, need: 1 });
  });

  it('forgets what a week did not confirm: no wake-up beyond the need for a rhythm that stopped', () => {
    const learned = replay(0, burst, 1200, 15, false, protectedTasks).state;
    expect(wakeAt(learned, 6 * DAY).desiredCount).toBe(4);
    const weekLater = wakeAt(learned, 7 * DAY);
    expect(weekLater).toMatchObject({ desiredCount: 1, need: 1 });
    expect(weekLater.nextState.wakeups).toEqual({ current: { used: 0, at: at(7 * DAY) }, peaks: [] });
  });

  it('a wake-up the week confirms keeps the rhythm', () => {
    const learned = replay(0, burst, 1200, 15, false, protectedTasks).state;
    const again = replayFrom(6 * DAY, burst, learned);
    expect(again.wakeups?.peaks.map((peak) => peak.used)).toEqual([4, 4]);
    expect(wakeAt(again, 8 * DAY).desiredCount).toBe(4);
  });
});

describe('wake-up record', () => {
  const wakeup = (used: number, day = 0) => ({ used, at: T0 + day * 24 * 3600 * 1000 });

  it('takes the lower median of the last week, capped by what the last wake-up used', () => {
    expect(usualWakeup(undefined, T0)).toBe(0);
    expect(usualWakeup({ peaks: [wakeup(4)] }, T0)).toBe(4);
    expect(usualWakeup({ peaks: [wakeup(1), wakeup(4), wakeup(4)] }, T0)).toBe(4);
    expect(usualWakeup({ peaks: [wakeup(4), wakeup(4), wakeup(1)] }, T0)).toBe(1);
    expect(usualWakeup({ peaks: [wakeup(4, -8), wakeup(2)] }, T0)).toBe(2);
  });

  it('keeps the last five wake-ups that used a task, and drops a record of another format', () => {
    let wakeups: Wakeups | undefined = { peaks: [1, 2, 3, 4, 4].map((used) => wakeup(used)) };
    wakeups = nextWakeups(wakeups, at(60), 0, 2, 0);
    wakeups = nextWakeups(wakeups, at(75), 2, 3, 3);
    expect(wakeups?.current).toEqual({ used: 3, at: at(60) });
    expect(nextWakeups(wakeups, at(90), 3, 0, 0)?.peaks.map((peak) => peak.used)).toEqual([2, 3, 4, 4, 3]);
    expect(nextWakeups({ peaks: [], current: wakeup(0) }, at(90), 2, 0, 0)).toBeUndefined();
    expect(nextWakeups({ peaks: [4, 4] } as unknown as Wakeups, at(0), 0, 0, 0)).toBeUndefined();
  });
});

describe('decideDesiredCount: tasks that cannot protect themselves', () => {
  // Need 1 has held for the whole window below 3 tasks: at second 600 a scale-in 3 → 2 (the busy one and a spare) is due.
  const dueAt600 = (tasksProtectThemselves: boolean) =>
    decideDesiredCount(
      inputFor(
        {
          desired: 3,
          backlog: { inFlight: 1 },
          policy: { tasksProtectThemselves },
          state: {
            checkedAt: at(585),
            lowerNeed: [
              { atMost: 1, since: at(299) },
              { atMost: 2, since: at(299) },
            ],
          },
        },
        600,
      ),
    );

  it('refuses a scale-in while one message is in flight, and says why', () => {
    const decision = dueAt600(false);
    expect(decision).toMatchObject({ desiredCount: 3, change: false, direction: 'none' });
    expect(decision.reason).toMatch(
      /^keep 3: 1 in flight and the tasks do not protect themselves, so a scale-in could stop a busy task \(would scale in 3 → 2: need has stayed ≤ 1/,
    );
  });

  it('scales in as today when the tasks protect themselves', () => {
    const decision = dueAt600(true);
    expect(decision).toMatchObject({ desiredCount: 2, change: true, direction: 'in' });
    expect(decision.reason).toMatch(/^scale in 3 → 2: need has stayed ≤ 1/);
  });

  it('scales in at once when the last message is done, the window having run meanwhile', () => {
    const policy = { tasksProtectThemselves: false };
    const idle = decideDesiredCount(inputFor({ desired: 3, policy, state: dueAt600(false).nextState }, 615));
    expect(idle).toMatchObject({ desiredCount: 1, change: true, direction: 'in' });
  });

  it('refuses the cut to maxTasks too while a message is in flight', () => {
    const decision = decideDesiredCount(
      inputFor({ desired: 6, backlog: { visible: 50, inFlight: 4 }, policy: { tasksProtectThemselves: false } }),
    );
    expect(decision).toMatchObject({ desiredCount: 6, change: false });
    expect(decision.reason).toMatch(/^keep 6: 4 in flight and the tasks do not protect themselves/);
  });

  it('scales out as before', () => {
    const decision = decideDesiredCount(
      inputFor({ desired: 1, backlog: { visible: 2, inFlight: 1 }, policy: { tasksProtectThemselves: false } }),
    );
    expect(decision).toMatchObject({ desiredCount: 3, change: true, direction: 'out' });
    expect(decision.reason).toMatch(/^scale out 1 → 3: need 3/);
  });
});
