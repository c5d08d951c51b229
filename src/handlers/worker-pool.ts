/**
 * Runs `work` on every item, at most `limit` at a time, starting them in order; resolves when all
 * are done. Bounded so that a hundred environments do not burst AWS's rate limits or queue behind
 * the SDK's sockets. `work` handles its own failures: a throw rejects the pool while the other
 * workers carry on with the remaining items.
 */
export async function forEachConcurrently<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const pending = items[Symbol.iterator]();
  // One iterator shared by the workers: each takes the next item when it is free.
  const worker = async () => {
    for (let next = pending.next(); next.done !== true; next = pending.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}
