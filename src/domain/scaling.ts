import { plural } from './plural.js';
import { nextWakeups, rememberedWakeups, sameWakeups, usualWakeup, type Wakeups } from './scaling-wakeups.js';
import type { QueuePolicy } from './environment.js';

export type { Wakeup, Wakeups } from './scaling-wakeups.js';

/**
 * The autoscaler's decision for one queue-driven service: how many tasks it should have now, from
 * the queue's backlog, the service's counts and what earlier decisions saw. Pure: no clock, no AWS.
 *
 * Rules, in the order they apply:
 * 1. **Need** = ceil((visible + in flight) / messagesPerTask), clamped to [minTasks, maxTasks].
 *    Delayed messages are not counted: they cannot be received before their delay ends, so a task
 *    started for them would idle (KEDA's aws-sqs-queue scaler leaves them out by default too).
 *    For tasks that cannot protect themselves, in-flight messages are counted up to what the running
 *    tasks can hold (running × messagesPerTask): the rest belong to tasks that were stopped mid-message,
 *    or are a miscount. They come back as visible when their visibility timeout passes (6 h for CGAP);
 *    a task started for them now would idle until then. Tasks that protect themselves finish or hand
 *    back every message they take, so all of their in-flight count is work: the count is a minute
 *    old, and tasks that finished since have stopped or gone idle, while the flow that kept them busy
 *    goes on (KEDA counts every in-flight message too). With no task running, nothing is held: an
 *    in-flight count then is a phantom (the queue was empty for the window before zero tasks).
 * 2. **A rollout of the service is active** → no change: the rollout owns the service until it ends
 *    (observation continues, so the stabilization window is not lost).
 * 3. **A manual hold** that has not expired pins the count (clamped to the bounds) and pauses the
 *    autoscaler: its stabilization windows restart when the hold ends.
 * 4. **Above maxTasks** → down to maxTasks at once: the bounds are hard limits.
 * 5. **Scale out at once** when need > desired, including from zero on a single message.
 *    b. **From zero, to the usual size of a wake-up**, for tasks that protect themselves: what the
 *    wake-ups of the last week used (scaling-wakeups.ts: the lower median of the tasks they used, and no
 *    more than the last one used), when that is above the need. A count read after idle hours cannot
 *    tell a lone message from a burst's first, and a burst met one task per check starts its last task
 *    checks later. Tasks a wake-up does not need go by 6c, and teach the next wake-up to start fewer.
 * 6. **Scale in** only to a count the need has stayed at or below for the whole stabilization window
 *    (HPA-style: the highest need seen in the window wins), never below the tasks busy with in-flight
 *    messages (ceil(in flight held / messagesPerTask)) plus one spare while any is busy, however long
 *    ago their messages arrived, and
 *    to zero only when minTasks is 0 and the queue (visible and every in-flight message) stayed empty
 *    for the window. A scale-out restarts every window, so a reversal from out to in always waits a
 *    full window: no flapping. A gap in the checks longer than the window restarts the windows too:
 *    unseen time is no evidence. A task that finishes its message stays for the window (but see 6d), and one spare
 *    stays while work is in flight: the next message of a steady flow finds a warm task instead of
 *    waiting a minute of count lag and a task start (the first step of square-root staffing).
 *    b. **A flow holds its tasks longer**: while the backlog (visible + in flight) has risen within the
 *    last `ARRIVAL_MEMORY_WINDOWS` windows (10 min for a 300 s window), messages are still arriving, and
 *    a scale-in from two or more tasks waits `FLOW_WINDOWS` windows (15 min, as long as target
 *    tracking's scale-in alarm). Between a steady flow's arrivals the busy count dips for minutes while
 *    the flow goes on; a task cut in a dip is missing a count lag and a task start later, when the
 *    flow's next peak (or a burst) comes. A flow of 3–10 minute messages often has 5 minutes without
 *    an arrival, so one window of memory is too short. A rise is a rise of the backlog's level: the
 *    median of the last three readings (`ARRIVAL_READINGS`), so that one reading one too high or one
 *    too low (the counts are approximate) is no arrival; a real arrival shows a check later.
 *    c. **Tasks of a scale-out that never received a message**, for tasks that protect themselves (the
 *    counts are a minute late: an unprotected task cut on them may have just taken a message). After a
 *    scale-out from n tasks, the most messages seen in flight since on two readings in a row (one
 *    reading one too high is noise) tell how many tasks were used (u). If no message then reads
 *    visible on two checks (`CONFIRM_EMPTY_MS` apart), the last of them late enough to postdate the
 *    scale-out (`COUNT_LAG_MS` + `CONFIRM_EMPTY_MS` after it), the tasks beyond max(n, u, busy) never
 *    received a message: the count that asked for them was a phantom (kedacore/keda#7845: an empty
 *    queue reads 1 or 2 for about a minute), one too high, or a wake-up larger than this one (5b).
 *    They go at once, without the window. After a wake-up (from zero or from n tasks none of which
 *    was busy, `fromIdle`) that is all; within a flow (some task busy) one more stays, rule 6's spare
 *    for the flow's next message.
 *    d. **A burst's tail lets its tasks go as they finish**, for tasks that protect themselves: once the
 *    backlog's level has not risen for `ARRIVAL_MEMORY_WINDOWS` windows and no message has read
 *    visible on two checks, arrivals have stopped and nothing waits; the idle tasks go at once, down
 *    to the busy count (at least one: zero keeps rule 6's empty window). ECS stops only idle tasks
 *    (the busy ones are protected), so a busy task stops when it finishes: what KEDA and target
 *    tracking do when their count falls during a drain, without leaving a visible message waiting.
 * 7. **Tasks that cannot protect themselves** (`tasksProtectThemselves: false`, e.g. CGAP's stock
 *    ingestion-listener): no scale-in of any kind while any message is in flight. ECS picks which
 *    task a scale-in stops, so the busy-task floor of 6 alone could stop a busy one.
 * 8. Otherwise keep the count. `change` is true exactly when one UpdateService is needed.
 *
 * **What to store.** Most checks learn nothing new: same windows, same empty-since, no change. Their
 * state need not be written (`store: 'none'`), so a quiet service costs no write per check. The state
 * is stored when a change is to be applied, when the evidence changed (a window starts or ends, the
 * queue empties or fills, the backlog changes and the two checks after, while rule 6b's readings
 * settle, a hold starts or ends), the first time, and as a heartbeat when the stored state is half
 * a window old. `checkedAt` is therefore the time of the
 * last *stored* decision; the heartbeat keeps it within half a window plus one check of now while
 * checks run, so an age above the window (the gap rule in 6) still means the checks stopped, and
 * skipped writes never look like a gap. A real gap G looks like G plus at most half a window: never missed, sometimes caught early.
 */

/** GetQueueAttributes' approximate counts. */
export interface QueueBacklog {
  /** ApproximateNumberOfMessages: receivable now. */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received and not yet deleted, i.e. being worked on. */
  inFlight: number;
  /** ApproximateNumberOfMessagesDelayed: not receivable yet, never counted. */
  delayed: number;
}

/** DescribeServices' counts for the queue's consumer. */
export interface ServiceCounts {
  desired: number;
  running: number;
  pending: number;
}

export type ScalingPolicy = Pick<QueuePolicy, 'minTasks' | 'maxTasks' | 'messagesPerTask' | 'stabilizationSeconds'> & {
  /**
   * Whether the consumer holds ECS task scale-in protection while it works on a message (the config
   * always says; default true, as docker/entrypoint_ingester.sh does). True: ECS cannot stop a busy task,
   * so work in flight needs no task count of its own (rules 5b, 6c). False: no scale-in while a
   * message is in flight (rule 7). Unset (the simulator's baseline only): the busy tasks are the floor.
   */
  tasksProtectThemselves?: boolean;
};

/** Since when (epoch ms) the need has stayed at or below `atMost` without interruption. */
export interface LowerNeed {
  atMost: number;
  since: number;
}

/** What a decision leaves for the next one (JSON-safe, stored between invocations). */
export interface ScalingState {
  /**
   * Time of the last decision whose state was stored (epoch ms). Checks that change nothing are not
   * stored, but a heartbeat is every half window: older than a window means the checks stopped.
   */
  checkedAt?: number;
  /** One entry per count below the desired count that the need has not exceeded since `since`; ascending. */
  lowerNeed?: LowerNeed[];
  /** Since when visible + in flight has been 0 (epoch ms). */
  emptySince?: number;
  /** Since when no message has been visible (epoch ms): tasks added since that got none are unused (6c). */
  noneVisibleSince?: number;
  /** The last change this autoscaler made. */
  lastChange?: { at: number; from: number; to: number };
  /** End of the manual hold this state was decided under (epoch ms), so a new or ended hold is stored. */
  heldUntil?: number;
  /**
   * The last scale-out (`at`, from `from` tasks), the most tasks' worth of messages seen in flight on
   * two readings in a row since (`used`) and on the last reading (`busy`), until every task it added
   * has been used (rule 6c).
   */
  scaleOut?: { at: number; from: number; used: number; fromIdle?: true; busy?: number };
  /** The autoscaler's own wake-ups from zero (rule 5b). */
  wakeups?: Wakeups;
  /**
   * The last `ARRIVAL_READINGS` readings of the backlog (visible + in flight), oldest first, and when
   * their median last rose (epoch ms; unset: no rise seen since the first check or a gap): arrivals
   * (rules 6b and 6d).
   */
  backlogRose?: { readings: number[]; at?: number };
}

/** A count set by hand that the autoscaler keeps until `until`. */
export interface ManualHold {
  desiredCount: number;
  until: Date | number;
}

export interface ScalingInput {
  now: Date | number;
  backlog: QueueBacklog;
  service: ServiceCounts;
  policy: ScalingPolicy;
  /** The previous decision's `nextState`; `{}` the first time. */
  state: ScalingState;
  hold?: ManualHold | undefined;
  /** A rollout of this service is in progress. */
  rolloutActive: boolean;
}

export type ScalingDirection = 'out' | 'in' | 'none';

/**
 * Why a decision's state must be stored: a change to apply (only after its record is written), new
 * evidence, or the heartbeat; `none` when the stored state still holds and nothing needs writing.
 */
export type StoreReason = 'change' | 'state' | 'heartbeat' | 'none';

export interface ScalingDecision {
  /** What the service's desired count should be. */
  desiredCount: number;
  /** True exactly when `desiredCount` differs from the service's: one UpdateService call. */
  change: boolean;
  direction: ScalingDirection;
  /** Tasks the backlog needs now, within the bounds. */
  need: number;
  /** Tasks that hold in-flight messages: the scale-in floor. */
  busyTasks: number;
  /** One line with the numbers behind the decision. */
  reason: string;
  /** To persist and pass back as `state` next time, when `store` is not `none`. */
  nextState: ScalingState;
  /** Whether (and why) `nextState` must be stored now; `none` leaves the stored state as it is. */
  store: StoreReason;
  /**
   * What rule 5b has learned: the count the next wake-up from zero would start at (before the
   * backlog's own need), 0 when no wake-up of the last week is remembered.
   */
  usualWakeup: number;
}

/** How often one scheduled invocation re-checks within its minute (the issue allows 10–15 s). */
export const DEFAULT_RECHECK_SECONDS = 15;
/** The schedule's period: EventBridge's shortest rate. */
export const SCHEDULE_SECONDS = 60;
/** Two checks apart: an empty queue read twice is not one low miscount. */
const CONFIRM_EMPTY_MS = DEFAULT_RECHECK_SECONDS * 1000;
/** How late SQS's counts may be ("at least 1 minute" to consistency, GetQueueAttributes). */
const COUNT_LAG_MS = 60_000;

const epochMs = (time: Date | number): number => (typeof time === 'number' ? time : time.getTime());
// Approximate counts are never negative or fractional in practice; a bad reading must not scale.
const count = (value: number): number => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0);
const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
const seconds = (ms: number): number => Math.round(ms / 1000);

const sameLowerNeed = (a: LowerNeed[] = [], b: LowerNeed[] = []): boolean =>
  a.length === b.length &&
  a.every((entry, index) => {
    const other = b[index];
    return other !== undefined && entry.atMost === other.atMost && entry.since === other.since;
  });

const sameReadings = (a: readonly number[] = [], b: readonly number[] = []): boolean =>
  a.length === b.length && a.every((reading, index) => reading === b[index]);

/** Same windows, empty-since, last change and hold: the stored state needs no rewrite for the next decision. */
function sameEvidence(a: ScalingState, b: ScalingState): boolean {
  return (
    sameLowerNeed(a.lowerNeed, b.lowerNeed) &&
    a.emptySince === b.emptySince &&
    a.noneVisibleSince === b.noneVisibleSince &&
    a.lastChange?.at === b.lastChange?.at &&
    a.lastChange?.from === b.lastChange?.from &&
    a.lastChange?.to === b.lastChange?.to &&
    a.heldUntil === b.heldUntil &&
    sameReadings(a.backlogRose?.readings, b.backlogRose?.readings) &&
    a.backlogRose?.at === b.backlogRose?.at &&
    a.scaleOut?.at === b.scaleOut?.at &&
    a.scaleOut?.from === b.scaleOut?.from &&
    a.scaleOut?.used === b.scaleOut?.used &&
    a.scaleOut?.fromIdle === b.scaleOut?.fromIdle &&
    a.scaleOut?.busy === b.scaleOut?.busy &&
    sameWakeups(a.wakeups, b.wakeups)
  );
}

/**
 * Half a window: the longest time without a write that keeps a running schedule's record within the
 * window (half a window plus one 15 s check), so the gap rule still tells a stopped schedule apart.
 */
const heartbeatMs = (windowMs: number): number => windowMs / 2;

function storeReason(
  previous: ScalingState,
  next: ScalingState,
  change: boolean,
  now: number,
  windowMs: number,
): StoreReason {
  if (change) return 'change';
  if (previous.checkedAt === undefined || !sameEvidence(previous, next)) return 'state';
  return now - previous.checkedAt >= heartbeatMs(windowMs) ? 'heartbeat' : 'none';
}

interface Observation {
  now: number;
  windowMs: number;
  current: number;
  need: number;
  busyTasks: number;
  /** Messages seen visible now. */
  visible: number;
  /** Messages seen in flight now. */
  inFlight: number;
  needText: string;
}

/** What the decision carries forward from the checks before it. */
type Tracked = Pick<ScalingState, 'lowerNeed' | 'emptySince' | 'noneVisibleSince' | 'scaleOut' | 'backlogRose'>;

/** Carries the per-count windows forward: counts below the need end their window, new ones start now. */
function trackLowerNeed(previous: ScalingState, seen: Observation): Tracked {
  // A gap longer than a window (the schedule stopped) means the need may have risen unseen.
  const fresh = previous.checkedAt !== undefined && seen.now - previous.checkedAt <= Math.max(seen.windowMs, 60_000);
  const started = new Map((fresh ? (previous.lowerNeed ?? []) : []).map((entry) => [entry.atMost, entry.since]));
  const lowerNeed: LowerNeed[] = [];
  for (let atMost = seen.need; atMost < seen.current; atMost += 1) {
    lowerNeed.push({ atMost, since: Math.min(started.get(atMost) ?? seen.now, seen.now) });
  }
  const since = (zero: boolean, before: number | undefined): number | undefined =>
    zero ? (fresh && before !== undefined ? before : seen.now) : undefined;
  const emptySince = since(seen.visible + seen.inFlight === 0, previous.emptySince);
  const noneVisibleSince = since(seen.visible === 0, previous.noneVisibleSince);
  // The last scale-out's tasks count as used as messages show in flight, until all of them are.
  const last = previous.scaleOut;
  // A task counts as used once two readings in a row show it busy: one reading one too high is noise.
  const usedNow = Math.min(seen.busyTasks, last?.busy ?? seen.busyTasks);
  const scaleOut = last && { ...last, used: Math.max(last.used, usedNow), busy: seen.busyTasks };
  const open = scaleOut !== undefined && scaleOut.used < seen.current;
  // A rise of the backlog's level since the last check is an arrival. The first checks, and the first
  // after a gap, have nothing to compare with: the need windows restart then anyway.
  const before = fresh ? storedReadings(previous.backlogRose) : [];
  const total = seen.visible + seen.inFlight;
  // With no earlier readings the level starts at this one: a quiet queue's readings never change.
  const readings =
    before.length === 0 ? Array<number>(ARRIVAL_READINGS).fill(total) : [...before, total].slice(-ARRIVAL_READINGS);
  const [was, is] = [levelOf(before), levelOf(readings)];
  const roseAt =
    was !== undefined && is !== undefined && is > was ? seen.now : fresh ? previous.backlogRose?.at : undefined;
  const backlogRose = roseAt === undefined ? { readings } : { readings, at: roseAt };
  return { lowerNeed, emptySince, noneVisibleSince, backlogRose, ...(open ? { scaleOut } : {}) };
}

/** Readings of the backlog whose median is its level (rule 6b): one noisy reading cannot move it. */
export const ARRIVAL_READINGS = 3;

/** The stored readings (a record of an older format has none: the level starts again). */
const storedReadings = (rose: ScalingState['backlogRose']): number[] =>
  Array.isArray(rose?.readings) ? rose.readings.filter((reading) => Number.isFinite(reading)) : [];

/** The median of the last `ARRIVAL_READINGS` readings; undefined until there are that many. */
function levelOf(readings: readonly number[]): number | undefined {
  if (readings.length < ARRIVAL_READINGS) return undefined;
  const sorted = readings.slice(-ARRIVAL_READINGS).sort((a, b) => a - b);
  return sorted[Math.floor(ARRIVAL_READINGS / 2)];
}

interface Proposal {
  target: number;
  reason: string;
}

/** Rule 6's floor: the busy tasks, and one spare while any is busy, for the next message of the flow. */
const spareFloor = (busyTasks: number): number => (busyTasks > 0 ? busyTasks + 1 : 0);

/** Rule 6b: how many windows a flow (a backlog whose level rose recently) holds its tasks. */
export const FLOW_WINDOWS = 3;
/** Rules 6b and 6d: messages are still arriving while the backlog's level rose within this many windows. */
export const ARRIVAL_MEMORY_WINDOWS = 2;

/** How long ago the backlog's level last rose (ms); undefined when no rise has been seen. */
const sinceRise = (seen: Observation, tracked: Tracked): number | undefined =>
  tracked.backlogRose?.at === undefined ? undefined : seen.now - tracked.backlogRose.at;

/** Rule 6's window, or 6b's longer one while messages are arriving and two or more tasks run. */
function scaleInWindowMs(seen: Observation, tracked: Tracked): number {
  const rose = sinceRise(seen, tracked);
  const arriving = rose !== undefined && rose < ARRIVAL_MEMORY_WINDOWS * seen.windowMs;
  return arriving && seen.current >= 2 ? FLOW_WINDOWS * seen.windowMs : seen.windowMs;
}

/**
 * Rule 6d: a burst's tail, for tasks that protect themselves. Arrivals stopped (no rise of the level
 * for the arrival memory) and nothing waits (no message visible on two checks): the idle tasks go at
 * once, down to the busy count, and never to zero (rule 6's empty window decides that).
 */
function tailScaleIn(seen: Observation, tracked: Tracked, policy: ScalingPolicy): Proposal | undefined {
  const { now, current } = seen;
  if (policy.tasksProtectThemselves !== true || tracked.noneVisibleSince === undefined) return undefined;
  const rose = sinceRise(seen, tracked);
  const stopped = rose !== undefined && rose >= ARRIVAL_MEMORY_WINDOWS * seen.windowMs;
  if (!stopped || now - tracked.noneVisibleSince < CONFIRM_EMPTY_MS) return undefined;
  const target = Math.max(seen.busyTasks, policy.minTasks, 1);
  if (target >= current) return undefined;
  return {
    target,
    reason: `scale in ${current} → ${target}: a tail, no arrival for ${seconds(rose)} s and none visible for ${seconds(now - tracked.noneVisibleSince)} s; ${plural(seen.busyTasks, 'task')} busy`,
  };
}

function proposeScaleIn(seen: Observation, tracked: Tracked, policy: ScalingPolicy): Proposal {
  const { now, current } = seen;
  const windowMs = scaleInWindowMs(seen, tracked);
  const heldLevel = tracked.lowerNeed?.find((entry) => now - entry.since >= windowMs);
  const firstSince = tracked.lowerNeed?.at(-1)?.since ?? now;
  const flow =
    windowMs > seen.windowMs
      ? `, a flow's window: the backlog rose ${seconds(now - (tracked.backlogRose?.at ?? now))} s ago`
      : '';
  const waitingText = `${seen.needText} below ${current} for ${seconds(now - firstSince)} s of the ${seconds(windowMs)} s window${flow}`;
  if (heldLevel === undefined) return { target: current, reason: `keep ${current}: ${waitingText}` };
  const emptyFor = tracked.emptySince === undefined ? 0 : now - tracked.emptySince;
  const emptyText = `queue empty for ${seconds(emptyFor)} s of the ${seconds(seen.windowMs)} s window`;
  let target = Math.max(heldLevel.atMost, spareFloor(seen.busyTasks), policy.minTasks);
  // Redundant with the need window when minTasks is 0, and kept so zero never rests on one reading.
  if (target === 0 && !(policy.minTasks === 0 && emptyFor >= seen.windowMs)) target = 1;
  if (target >= current) {
    const floor =
      spareFloor(seen.busyTasks) >= current
        ? `${plural(seen.busyTasks, 'task')} busy with in-flight messages, and one spare`
        : `not to zero before the queue is empty for the window (${emptyText})`;
    return { target: current, reason: `keep ${current}: ${floor}` };
  }
  const held = `need has stayed ≤ ${heldLevel.atMost} for ${seconds(now - heldLevel.since)} s (window ${seconds(windowMs)} s${flow})`;
  const why = target === 0 ? emptyText : held;
  const floor = target > heldLevel.atMost ? `; ${seen.busyTasks} busy with in-flight messages and one spare` : '';
  return { target, reason: `scale in ${current} → ${target}: ${why}${floor}` };
}

/** Rule 6c: tasks added by the last scale-out that never received a message, while the queue reads empty. */
function unusedScaleIn(seen: Observation, tracked: Tracked, policy: ScalingPolicy): Proposal | undefined {
  const { now, current } = seen;
  const scaleOut = tracked.scaleOut;
  // Counts are a minute late: only a task that protects itself is safe from a cut made on them.
  if (policy.tasksProtectThemselves !== true || scaleOut === undefined) return undefined;
  // Within a flow (a scale-out from busy tasks), one task started for a message another took is the
  // next message's warm task (rule 6's spare), not a phantom's; after a wake-up no spare is kept.
  const wakeup = scaleOut.from === 0 || scaleOut.fromIdle === true;
  if (tracked.noneVisibleSince === undefined) return undefined;
  const busy = wakeup ? seen.busyTasks : spareFloor(seen.busyTasks);
  const target = Math.max(scaleOut.from, scaleOut.used, busy, policy.minTasks);
  const emptyFor = now - tracked.noneVisibleSince;
  const late = now - scaleOut.at >= COUNT_LAG_MS + CONFIRM_EMPTY_MS;
  if (target >= current || emptyFor < CONFIRM_EMPTY_MS || !late) return undefined;
  return {
    target,
    reason: `scale in ${current} → ${target}: ${current - target} of the tasks added ${seconds(now - scaleOut.at)} s ago never received a message and no message has read visible for ${seconds(emptyFor)} s`,
  };
}

function propose(seen: Observation, tracked: Tracked, policy: ScalingPolicy, wakeups: Wakeups | undefined): Proposal {
  const { current, need } = seen;
  if (current > policy.maxTasks)
    return { target: policy.maxTasks, reason: `scale in ${current} → ${policy.maxTasks}: above maxTasks` };
  if (need > current) {
    // Only tasks that protect themselves can be taken back at once without risking their work (6c).
    const usual =
      current === 0 && policy.tasksProtectThemselves === true
        ? Math.min(policy.maxTasks, usualWakeup(wakeups, seen.now))
        : 0;
    if (usual > need) {
      return {
        target: usual,
        reason: `scale out from zero 0 → ${usual}: the tasks the last week's wake-ups used (${rememberedWakeups(
          wakeups,
          seen.now,
        )
          .map((wakeup) => wakeup.used)
          .join(', ')}; ${seen.needText})`,
      };
    }
    const from = current === 0 ? ' from zero' : '';
    return { target: need, reason: `scale out${from} ${current} → ${need}: ${seen.needText}` };
  }
  const unused = unusedScaleIn(seen, tracked, policy);
  if (unused) return unused;
  const tail = tailScaleIn(seen, tracked, policy);
  if (tail) return tail;
  if (need < current) return proposeScaleIn(seen, tracked, policy);
  return { target: current, reason: `keep ${current}: ${seen.needText}` };
}

interface Counted {
  visible: number;
  inFlight: number;
  /** In-flight messages the running tasks can be holding. */
  held: number;
  running: number;
  delayed: number;
}

function describeNeed(counted: Counted, policy: ScalingPolicy, need: number): string {
  const inFlight =
    counted.held < counted.inFlight
      ? `${counted.held} of ${counted.inFlight} in flight (the most ${counted.running} running can hold)`
      : `${counted.inFlight} in flight`;
  const delayed = counted.delayed > 0 ? `, ${counted.delayed} delayed not counted` : '';
  return `need ${need} = ceil((${counted.visible} visible + ${inFlight}) / ${policy.messagesPerTask} per task) in [${policy.minTasks}, ${policy.maxTasks}]${delayed}`;
}

/** Rule 7: a scale-in could stop the task working on a message, since ECS picks which task stops. */
function refuseUnprotectedScaleIn(proposal: Proposal, seen: Observation, policy: ScalingPolicy): Proposal {
  const { inFlight, current } = seen;
  if (policy.tasksProtectThemselves !== false || inFlight === 0 || proposal.target >= current) return proposal;
  return {
    target: current,
    reason: `keep ${current}: ${inFlight} in flight and the tasks do not protect themselves, so a scale-in could stop a busy task (would ${proposal.reason})`,
  };
}

const directionOf = (from: number, to: number): ScalingDirection => (to > from ? 'out' : to < from ? 'in' : 'none');

/** Decides the desired count for one queue-driven service; see the module comment for the rules. */
export function decideDesiredCount(input: ScalingInput): ScalingDecision {
  const { policy, backlog } = input;
  const now = epochMs(input.now);
  const perTask = Math.max(1, policy.messagesPerTask);
  const running = count(input.service.running);
  const inFlight = count(backlog.inFlight);
  const counted: Counted = {
    visible: count(backlog.visible),
    inFlight,
    // Rule 1: tasks that protect themselves finish (or hand back) every message they take.
    held: Math.min(inFlight, running * perTask),
    running,
    delayed: count(backlog.delayed),
  };
  const need = clamp(Math.ceil((counted.visible + counted.held) / perTask), policy.minTasks, policy.maxTasks);
  const busyTasks = Math.min(policy.maxTasks, Math.ceil(counted.held / perTask));
  const seen: Observation = {
    now,
    windowMs: policy.stabilizationSeconds * 1000,
    current: count(input.service.desired),
    need,
    busyTasks,
    visible: counted.visible,
    // Zero needs the whole queue empty, in-flight messages of vanished tasks included.
    inFlight: counted.inFlight,
    needText: describeNeed(counted, policy, need),
  };
  const { current } = seen;
  const decision = (target: number, reason: string, nextState: ScalingState): ScalingDecision => {
    const change = target !== current;
    const lastChange = change ? { at: now, from: current, to: target } : input.state.lastChange;
    const next: ScalingState = { ...nextState, checkedAt: now, ...(lastChange ? { lastChange } : {}) };
    return {
      desiredCount: target,
      change,
      direction: directionOf(current, target),
      need,
      busyTasks: seen.busyTasks,
      reason,
      nextState: next,
      store: storeReason(input.state, next, change, now, seen.windowMs),
      usualWakeup: Math.min(policy.maxTasks, usualWakeup(next.wakeups, now)),
    };
  };

  const tracked = trackLowerNeed(input.state, seen);
  const proposal = refuseUnprotectedScaleIn(propose(seen, tracked, policy, input.state.wakeups), seen, policy);
  const hold = input.hold && epochMs(input.hold.until) > now ? input.hold : undefined;

  // What the autoscaler learned of its wake-ups outlives rollouts and holds.
  const kept = input.state.wakeups ? { wakeups: input.state.wakeups } : {};
  if (input.rolloutActive) {
    const wouldDo = proposal.target === current ? proposal.reason : `would ${proposal.reason}`;
    return decision(current, `keep ${current}: a rollout of the service is in progress (${wouldDo})`, {
      ...tracked,
      ...kept,
    });
  }
  if (hold) {
    const target = clamp(count(hold.desiredCount), policy.minTasks, policy.maxTasks);
    const until = new Date(epochMs(hold.until)).toISOString();
    const verb = target === current ? 'keep' : `scale ${directionOf(current, target)} ${current} →`;
    return decision(target, `${verb} ${target}: manual hold until ${until} (${seen.needText})`, {
      heldUntil: epochMs(hold.until),
      ...kept,
    });
  }
  // Counts at or above the new desired count no longer need a window; the rest keep theirs.
  const lowerNeed = (tracked.lowerNeed ?? []).filter((entry) => entry.atMost < proposal.target);
  // A scale-out opens a new record of used tasks; a scale-in closes it.
  const scaleOut =
    proposal.target > current
      ? {
          at: now,
          from: current,
          used: seen.busyTasks,
          busy: seen.busyTasks,
          ...(seen.busyTasks === 0 ? { fromIdle: true as const } : {}),
        }
      : proposal.target < current
        ? undefined
        : tracked.scaleOut;
  const wakeups = nextWakeups(input.state.wakeups, now, current, proposal.target, seen.busyTasks);
  return decision(proposal.target, proposal.reason, {
    lowerNeed,
    ...(tracked.emptySince === undefined ? {} : { emptySince: tracked.emptySince }),
    ...(tracked.noneVisibleSince === undefined ? {} : { noneVisibleSince: tracked.noneVisibleSince }),
    ...(scaleOut === undefined ? {} : { scaleOut }),
    ...(wakeups === undefined ? {} : { wakeups }),
    ...(tracked.backlogRose === undefined ? {} : { backlogRose: tracked.backlogRose }),
  });
}

/** The autoscaler's memory for one queue-driven service, between invocations. */
export interface ScalingRecord {
  state: ScalingState;
  /**
   * The last stored decision, made at `at`. Decisions that change nothing are not stored, so it can be
   * up to half a stabilization window older than the autoscaler's latest check.
   */
  lastDecision?: { at: string; desiredCount: number; change: boolean; reason: string };
  hold?: { desiredCount: number; until: string; by: string };
}

/** The hold as the decision function takes it, if one is set. */
export function holdOf(record: ScalingRecord | undefined): ManualHold | undefined {
  return record?.hold ? { desiredCount: record.hold.desiredCount, until: Date.parse(record.hold.until) } : undefined;
}
