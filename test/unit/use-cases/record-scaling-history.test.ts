import { describe, expect, it } from 'vitest';
import type { ScalingHistoryEntry, ScalingObservation } from '../../../src/domain/scaling-history.js';
import { createScalingHistoryRecorder } from '../../../src/use-cases/record-scaling-history.js';

function observation(second: number, change = false, minute = 0): ScalingObservation {
  return {
    environment: 'cgap-mastertest',
    queue: 'ingestion',
    at: new Date(Date.UTC(2026, 10, 27, 9, minute, second)),
    backlog: { visible: 5, inFlight: 1, delayed: 0 },
    counts: { desired: 1, running: 1, pending: 0 },
    decision: { desiredCount: change ? 4 : 1, change, reason: change ? 'scale out: need 4' : 'keep 1' },
  };
}

/** A recorder whose store keeps every entry in memory. */
function keeping() {
  const kept: ScalingHistoryEntry[] = [];
  const recorder = createScalingHistoryRecorder(
    {
      record: (_environment, _queue, entry) => {
        kept.push(entry);
        return Promise.resolve();
      },
    },
    () => undefined,
  );
  return { kept, recorder };
}

describe('the scaling history recorder', () => {
  it('keeps the first check of each minute and every change, with the counts before and after', async () => {
    const { kept, recorder } = keeping();
    expect(await recorder.observe([observation(0)])).toBe(1);
    expect(await recorder.observe([observation(15)])).toBe(0);
    expect(await recorder.observe([observation(30, true)])).toBe(1);
    expect(await recorder.observe([observation(45)])).toBe(0);
    expect(await recorder.observe([observation(0, false, 1)])).toBe(1);
    expect(kept.map((entry) => entry.sample.at)).toEqual([
      '2026-11-27T09:00:00.000Z',
      '2026-11-27T09:00:30.000Z',
      '2026-11-27T09:01:00.000Z',
    ]);
    expect(kept[1]?.decision).toEqual({ at: '2026-11-27T09:00:30.000Z', from: 1, to: 4, reason: 'scale out: need 4' });
    expect(kept[0]).toEqual({
      sample: { at: '2026-11-27T09:00:00.000Z', visible: 5, inFlight: 1, desired: 1, running: 1 },
    });
  });

  it('keeps with a change what the autoscaler has learned of its wake-ups (rule 5b)', async () => {
    const { kept, recorder } = keeping();
    const wakeUp = observation(30, true);
    await recorder.observe([{ ...wakeUp, decision: { ...wakeUp.decision, usualWakeup: 3 } }]);
    expect(kept[0]?.decision).toMatchObject({ from: 1, to: 4, usualWakeup: 3 });
  });

  it('never fails the autoscaler: a failed write is reported, and the minute is tried again', async () => {
    const reported: unknown[] = [];
    let fail = true;
    const recorder = createScalingHistoryRecorder(
      {
        record: () => (fail ? Promise.reject(new Error('throttled')) : Promise.resolve()),
      },
      (error) => reported.push(error),
    );
    expect(await recorder.observe([observation(0)])).toBe(0);
    expect(reported).toEqual([new Error('throttled')]);
    fail = false;
    expect(await recorder.observe([observation(15)])).toBe(1);
  });
});
