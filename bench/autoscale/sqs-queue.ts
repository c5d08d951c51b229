import type { QueueBacklog } from '../../src/domain/scaling.js';
import { SALT, uniformAt } from './random.js';
import type { Scenario } from './scenario.js';
import type { TraceMessage } from './trace.js';

/**
 * A simulated SQS standard queue: messages become visible when sent, invisible while a consumer
 * holds them, visible again when their visibility timeout passes undeleted, and gone when deleted.
 * Consumers receive the oldest visible message first. Reads of the counts are approximate the way
 * GetQueueAttributes' are: late by up to a minute and now and then one off.
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

export class SimulatedQueue {
  readonly messages: SimulatedMessage[];
  visible = 0;
  inFlight = 0;
  done = 0;
  private readonly order: number[] = [];
  private head = 0;
  // True counts over time, for reads that lag.
  private readonly times: number[] = [0];
  private readonly visibleAt: number[] = [0];
  private readonly inFlightAt: number[] = [0];

  constructor(
    trace: readonly TraceMessage[],
    private readonly scenario: Scenario,
  ) {
    this.messages = trace.map((message) => ({
      ...message,
      state: 'unsent',
      attempt: 0,
      finalStart: Infinity,
      doneAt: Infinity,
    }));
  }

  private message(index: number): SimulatedMessage {
    const message = this.messages[index];
    if (message === undefined) throw new Error(`no message ${index}`);
    return message;
  }

  private record(now: number): void {
    if (this.times.at(-1) === now) {
      this.times.pop();
      this.visibleAt.pop();
      this.inFlightAt.pop();
    }
    this.times.push(now);
    this.visibleAt.push(this.visible);
    this.inFlightAt.push(this.inFlight);
  }

  private makeVisible(message: SimulatedMessage, index: number, now: number): void {
    message.state = 'visible';
    this.visible += 1;
    this.order.push(index);
    this.record(now);
  }

  send(index: number, now: number): void {
    this.makeVisible(this.message(index), index, now);
  }

  /** The oldest visible message, now in flight, with its attempt number. */
  receive(now: number): { index: number; attempt: number } | undefined {
    while (this.head < this.order.length) {
      const index = this.order[this.head++] ?? -1;
      const message = this.messages[index];
      if (message?.state !== 'visible') continue; // deleted while visible (a late duplicate finished it)
      message.state = 'inFlight';
      message.attempt += 1;
      this.visible -= 1;
      this.inFlight += 1;
      this.record(now);
      return { index, attempt: message.attempt };
    }
    return undefined;
  }

  /** The visibility timeout of one receive passed: the message comes back unless it was deleted. */
  expire(index: number, attempt: number, now: number): boolean {
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
    this.record(now);
  }

  get allDone(): boolean {
    return this.done === this.messages.length;
  }

  /** True counts at time `at` (the last change at or before it). */
  private countsAt(at: number): { visible: number; inFlight: number } {
    let low = 0;
    let high = this.times.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.times[middle] ?? Infinity) <= at) low = middle;
      else high = middle - 1;
    }
    return { visible: this.visibleAt[low] ?? 0, inFlight: this.inFlightAt[low] ?? 0 };
  }

  /** What GetQueueAttributes returns at `now`: counts of a moment up to a minute ago, ±1 now and then. */
  approximateCounts(now: number): QueueBacklog {
    const { seed, maxCountLagSeconds, countNoise } = this.scenario;
    const key = Math.round(now * 1000);
    const lag = uniformAt(seed, SALT.countLag, key) * maxCountLagSeconds;
    const truth = this.countsAt(now - lag);
    const noisy = (value: number, salt: number): number => {
      if (value === 0) return 0; // an empty queue reads empty: noise is in the distributed count
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
