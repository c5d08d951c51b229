/** A time-ordered queue of actions; ties run in the order they were scheduled (determinism). */
interface Scheduled {
  at: number;
  order: number;
  run: () => void;
}

const before = (a: Scheduled, b: Scheduled): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private scheduled = 0;

  get size(): number {
    return this.heap.length;
  }

  nextAt(): number {
    return this.heap[0]?.at ?? Infinity;
  }

  push(at: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ at, order: this.scheduled++, run });
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const [up, down] = [heap[child], heap[parent]];
      if (up === undefined || down === undefined || !before(up, down)) break;
      [heap[child], heap[parent]] = [down, up];
      child = parent;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): { at: number; run: () => void } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      let smallest = parent;
      for (const child of [left, left + 1]) {
        const candidate = heap[child];
        const current = heap[smallest];
        if (candidate !== undefined && current !== undefined && before(candidate, current)) smallest = child;
      }
      if (smallest === parent) return top;
      const [a, b] = [heap[parent], heap[smallest]];
      if (a === undefined || b === undefined) return top;
      [heap[parent], heap[smallest]] = [b, a];
      parent = smallest;
    }
  }
}
