import { describe, expect, it } from 'vitest';
import { timeRange, timeTicks } from '../../../../src/console/web/chart/time-ticks.js';

const seconds = (iso: string) => new Date(iso).getTime() / 1000;
const local = (hour: number, minute: number, second = 0) =>
  new Date(2026, 11, 6, hour, minute, second).getTime() / 1000;

describe('the queue chart’s time axis', () => {
  it('labels ticks in hours and minutes, each label once', () => {
    const ticks = timeTicks([local(14, 0), local(14, 5), local(14, 10)]);
    expect(ticks).toEqual(['14:00', '14:05', '14:10']);
  });

  it('adds seconds rather than repeat a minute', () => {
    const ticks = timeTicks([local(14, 0, 0), local(14, 0, 30), local(14, 1, 0)]);
    expect(ticks).toEqual(['14:00:00', '14:00:30', '14:01:00']);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('dates the first tick of a new day, so 00:00 after 23:50 reads as the next day', () => {
    const ticks = timeTicks([local(23, 50), local(23, 55), new Date(2026, 11, 7, 0, 0).getTime() / 1000]);
    expect(ticks[0]).toMatch(/^6 Dec 23:50$|^Dec 6 23:50$/);
    expect(ticks[1]).toBe('23:55');
    expect(ticks[2]).toMatch(/7.*00:00$/);
  });

  it('spans ten minutes up to the window’s end for a chart of no sample or one, not 1970 or years', () => {
    const end = seconds('2026-12-06T14:00:00Z');
    expect(timeRange(null, null, end)).toEqual([end - 600, end]);
    expect(timeRange(end - 60, end - 30, end + 999)).toEqual([end - 630, end - 30]);
    expect(timeRange(end - 3600, end, end)).toEqual([end - 3600, end]);
    // One sample: uPlot hands over a span of a thousand days after it; the window ends the axis.
    expect(timeRange(end - 60, end - 60 + 86_400_000, end)).toEqual([end - 600, end]);
  });
});
