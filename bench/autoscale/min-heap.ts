/** A binary min-heap under `before` (true when a must come out ahead of b). */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const [up, down] = [items[child], items[parent]];
      if (up === undefined || down === undefined || !this.before(up, down)) break;
      [items[child], items[parent]] = [down, up];
      child = parent;
    }
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      let first = parent;
      for (const child of [left, left + 1]) {
        const candidate = items[child];
        const current = items[first];
        if (candidate !== undefined && current !== undefined && this.before(candidate, current)) first = child;
      }
      if (first === parent) return top;
      const [a, b] = [items[parent], items[first]];
      if (a === undefined || b === undefined) return top;
      [items[parent], items[first]] = [b, a];
      parent = first;
    }
  }
}
