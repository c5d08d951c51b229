import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../../src/handlers/worker-pool.js';

describe('forEachConcurrently', () => {
  it('runs every item once, never more than `limit` at a time, starting them in order', async () => {
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    await forEachConcurrently(
      Array.from({ length: 25 }, (_, index) => index),
      4,
      async (item) => {
        started.push(item);
        running += 1;
        peak = Math.max(peak, running);
        await sleep(item % 3);
        running -= 1;
      },
    );
    expect(started).toEqual(Array.from({ length: 25 }, (_, index) => index));
    expect(peak).toBe(4);
  });

  it('finishes at once with no items, and uses one worker for a limit below one', async () => {
    let running = 0;
    let peak = 0;
    await expect(
      forEachConcurrently([], 10, () => Promise.reject(new Error('no item to work on'))),
    ).resolves.toBeUndefined();
    await forEachConcurrently([1, 2, 3], 0, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(1);
      running -= 1;
    });
    expect(peak).toBe(1);
  });
});
