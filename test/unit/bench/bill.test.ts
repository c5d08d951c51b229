import { describe, expect, it } from 'vitest';
import { AFTER, BEFORE, MINUTES_PER_MONTH, monthlyBill } from '../../../bench/bill/model.js';

describe('the autoscaler`s monthly bill', () => {
  it('prices sleeping between re-checks at about a million 512 MB GB-seconds a month', () => {
    const before = monthlyBill(BEFORE, 1);
    expect(before.invocations).toBe(MINUTES_PER_MONTH);
    expect(before.gbSeconds).toBeGreaterThan(0.95e6);
    expect(before.gbSeconds).toBeLessThan(1.05e6);
  });

  it('the tick chain: five invocations a minute, a pass each, and the chain`s own reads, writes and requests', () => {
    const [before, after] = [monthlyBill(BEFORE, 1), monthlyBill(AFTER, 1)];
    expect(after.invocations).toBe(5 * MINUTES_PER_MONTH);
    expect(after.gbSeconds).toBeLessThan(before.gbSeconds / 100);
    // One heartbeat GetItem per invocation and one conditional PutItem per tick.
    expect(after.dynamoReads - before.dynamoReads).toBe(5 * MINUTES_PER_MONTH);
    expect(after.dynamoWrites - before.dynamoWrites).toBe(4 * MINUTES_PER_MONTH);
    expect(after.sqsRequests).toBeGreaterThan(before.sqsRequests);
    expect(after.dollars.total).toBeLessThan(before.dollars.total / 5);
  });

  it('grows with environments by their reads, writes and requests, not by invocations', () => {
    const [one, ten] = [monthlyBill(AFTER, 1), monthlyBill(AFTER, 10)];
    expect(ten.invocations).toBe(one.invocations);
    expect(ten.ecsCalls).toBe(10 * one.ecsCalls);
    expect(ten.dollars.total).toBeGreaterThan(one.dollars.total);
  });
});
