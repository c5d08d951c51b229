import type { TraceMessage } from './trace.js';

/** Trace generators with a weekly rhythm; every trace starts on a Monday at 00:00. */
const HOUR = 3600;
const MINUTE = 60;
const DAY = 24 * HOUR;

type Random = () => number;
export const between = (random: Random, low: number, high: number): number => low + (high - low) * random();

function submission(random: Random, start: number, size: number, spread: number): TraceMessage[] {
  return Array.from({ length: size }, () => ({
    arrival: start + random() * spread,
    processing: between(random, 5, 40) * MINUTE,
  }));
}

/**
 * CGAP over `weeks` weeks: each working day 1–3 submissions of 5–80 ingestions (5–40 min each)
 * spread over 2–30 minutes, between 9:00 and 17:00; at the weekend a small one (1–5) on half the days.
 */
export function cgapWeeks(random: Random, weeks: number): TraceMessage[] {
  const messages: TraceMessage[] = [];
  for (let day = 0; day < 7 * weeks; day += 1) {
    const weekend = day % 7 >= 5;
    const count = weekend ? (random() < 0.5 ? 1 : 0) : 1 + Math.floor(random() * 3);
    for (let index = 0; index < count; index += 1) {
      const start = day * DAY + between(random, 9, 17) * HOUR;
      const size = weekend ? 1 + Math.floor(random() * 5) : 5 + Math.floor(random() * 76);
      messages.push(...submission(random, start, size, between(random, 2, 30) * MINUTE));
    }
  }
  return messages.sort((a, b) => a.arrival - b.arrival);
}

/** A thundering herd: every 4–8 hours for 3 days, 30–60 short messages (1–4 min) within one minute. */
export function herd(random: Random): TraceMessage[] {
  const messages: TraceMessage[] = [];
  for (let start = between(random, 1, 4) * HOUR; start < 3 * DAY; start += between(random, 4, 8) * HOUR) {
    const size = 30 + Math.floor(random() * 31);
    for (let index = 0; index < size; index += 1) {
      messages.push({ arrival: start + random() * MINUTE, processing: between(random, 1, 4) * MINUTE });
    }
  }
  return messages;
}

const WEEK = 7 * DAY;
/** The holiday week of `holidayMonth` (weeks 0-2 normal, week 3 the holiday), as the trace says it. */
export const HOLIDAY_WEEK = `goal week: ${3 * WEEK}-${4 * WEEK}`;

/** Three normal CGAP weeks, then a holiday week: five lone messages (5–40 min) at random times. */
export function holidayMonth(random: Random): TraceMessage[] {
  const holiday = Array.from({ length: 5 }, () => ({
    arrival: 3 * WEEK + between(random, 0, 7) * DAY,
    processing: between(random, 5, 40) * MINUTE,
  }));
  return [...cgapWeeks(random, 3), ...holiday].sort((a, b) => a.arrival - b.arrival);
}
