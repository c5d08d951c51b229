import { MinHeap } from './min-heap.js';

/** A time-ordered queue of actions; ties run in the order they were scheduled (determinism). */
interface Scheduled {
  at: number;
  order: number;
  run: () => void;
}

export class EventQueue {
  private readonly heap = new MinHeap<Scheduled>((a, b) => a.at < b.at || (a.at === b.at && a.order < b.order));
  private scheduled = 0;

  get size(): number {
    return this.heap.size;
  }

  push(at: number, run: () => void): void {
    this.heap.push({ at, order: this.scheduled++, run });
  }

  /** Removes and returns the earliest entry. */
  pop(): { at: number; run: () => void } | undefined {
    return this.heap.pop();
  }
}
