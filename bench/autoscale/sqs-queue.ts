import type { QueueBacklog } from '../../src/domain/scaling.js';
import { CountHistory } from './count-history.js';
import { MinHeap } from './min-heap.js';
import { PhantomEpisodes } from './phantoms.js';
import { SALT, uniformAt } from './random.js';
import type { World } from './scenario.js';
import type { TraceMessage } from './trace.js';

/**
 * A simulated SQS standard queue: messages become visible when sent, invisible while a consumer
 * holds them, visible again when their visibility timeout passes undeleted (or at once when handed
 * back), and gone when deleted. Consumers receive the oldest visible message. Reads of the counts are
 * approximate the way GetQueueAttributes' are: late, now and then one off, and an empty queue now and
 * then reads 1 or 2 (see World).
 */
export type MessageState = 'unsent' | 'visible' | 'inFlight' | 'done';

interface SimulatedMessage extends TraceMessage {
  state: MessageState;
  /** Receive count: a holder whose attempt is older no longer owns the message. */
  attempt: number;
  /** Start of the processing attempt that completed it. */
  finalStart: number;
  doneAt: number;
}

/** From `at` on, the oldest waiting message arrived at `since` (NaN: none waiting). */
export interface AgeStep {
  at: number;
  since: number;
}

export class SimulatedQueue {
  readonly messages: SimulatedMessage[];
  visible = 0;
  inFlight = 0;
  done = 0;
  /** When the oldest visible message changed: its age is `now − since` until the next step. */
  readonly ages: AgeStep[] = [{ at: 0, since: NaN }];
  private readonly oldestFirst: MinHeap<number>;
  private readonly history: CountHistory;
  private readonly phantoms: PhantomEpisodes;

  constructor(
    trace: readonly TraceMessage[],
    private readonly world: World,
  ) {
    this.messages = trace.map((message) => ({
      ...message,
      state: 'unsent',
      attempt: 0,
      finalStart: Infinity,
      doneAt: Infinity,
    }));
    const arrival = (index: number): number => this.messages[index]?.arrival ?? Infinity;
    this.oldestFirst = new MinHeap((a, b) => arrival(a) < arrival(b) || (arrival(a) === arrival(b) && a < b));
    this.history = new CountHistory(world.maxCountLagSeconds + 1);
    this.phantoms = new PhantomEpisodes(world.seed, world.phantomsPerDay, world.phantomSeconds);
  }

  private message(index: number): SimulatedMessage {
    const message = this.messages[index];
    if (message === undefined) throw new Error(`no message ${index}`);
    return message;
  }

  /** The oldest visible message's index; entries no longer visible are dropped on the way. */
  private oldestVisible(): number | undefined {
    for (let top = this.oldestFirst.peek(); top !== undefined; top = this.oldestFirst.peek()) {
      if (this.messages[top]?.state === 'visible') return top;
      this.oldestFirst.pop();
    }
    return undefined;
  }

  private changed(now: number): void {
    this.history.record(now, this.visible, this.inFlight);
    const oldest = this.oldestVisible();
    const since = oldest === undefined ? NaN : this.message(oldest).arrival;
    const last = this.ages.at(-1);
    if (last !== undefined && Object.is(last.since, since)) return;
    if (last?.at === now) this.ages.pop();
    this.ages.push({ at: now, since });
  }

  private makeVisible(message: SimulatedMessage, index: number, now: number): void {
    message.state = 'visible';
    this.visible += 1;
    this.oldestFirst.push(index);
    this.changed(now);
  }

  send(index: number, now: number): void {
    this.makeVisible(this.message(index), index, now);
  }

  /** The oldest visible message, now in flight, with its attempt number. */
  receive(now: number): { index: number; attempt: number } | undefined {
    const index = this.oldestVisible();
    if (index === undefined) return undefined;
    this.oldestFirst.pop();
    const message = this.message(index);
    message.state = 'inFlight';
    message.attempt += 1;
    this.visible -= 1;
    this.inFlight += 1;
    this.changed(now);
    return { index, attempt: message.attempt };
  }

  /** The receive `attempt` ended undeleted (visibility timeout, or handed back): visible again. */
  release(index: number, attempt: number, now: number): boolean {
    const message = this.message(index);
    if (message.state !== 'inFlight' || message.attempt !== attempt) return false;
    this.inFlight -= 1;
    this.makeVisible(message, index, now);
    return true;
  }

  /** A consumer finished and deletes the message (any holder's delete counts: the work is done). */
  complete(index: number, startedAt: number, now: number): void {
    const message = this.message(index);
    if (message.state === 'done') return;
    if (message.state === 'visible') this.visible -= 1;
    if (message.state === 'inFlight') this.inFlight -= 1;
    message.state = 'done';
    message.finalStart = startedAt;
    message.doneAt = now;
    this.done += 1;
    this.changed(now);
  }

  get allDone(): boolean {
    return this.done === this.messages.length;
  }

  /** What GetQueueAttributes returns at `now`: the counts of a moment ago, approximate. */
  approximateCounts(now: number): QueueBacklog {
    const { seed, lag, maxCountLagSeconds, countNoise } = this.world;
    const key = Math.round(now * 1000);
    const seenAt = now - (lag === 'steady' ? 1 : uniformAt(seed, SALT.countLag, key)) * maxCountLagSeconds;
    const truth = this.history.at(seenAt);
    if (truth.visible + truth.inFlight === 0) {
      const phantom = this.phantoms.at(seenAt);
      return {
        visible: phantom?.where === 'visible' ? phantom.extra : 0,
        inFlight: phantom?.where === 'inFlight' ? phantom.extra : 0,
        delayed: 0,
      };
    }
    const noisy = (value: number, salt: number): number => {
      if (value === 0) return 0;
      const draw = uniformAt(seed, salt, key);
      return draw < countNoise ? value - 1 : draw >= 1 - countNoise ? value + 1 : value;
    };
    return {
      visible: noisy(truth.visible, SALT.visibleNoise),
      inFlight: noisy(truth.inFlight, SALT.inFlightNoise),
      delayed: 0,
    };
  }
}
