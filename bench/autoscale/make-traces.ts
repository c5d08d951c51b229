import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomStream, SALT } from './random.js';
import { formatTraceCsv, type TraceMessage } from './trace.js';
import { between, cgapWeeks, herd, holidayMonth, HOLIDAY_WEEK } from './weekly-traces.js';

/**
 * Writes the shipped workload traces: `npx tsx bench/autoscale/make-traces.ts [--seed N]`.
 * Same seed, same files. `--weeks N --out FILE` writes one CGAP-like trace of N weeks instead (for
 * traces of months: the simulator must run them in memory and time linear in their length).
 */
const HOUR = 3600;
const MINUTE = 60;

type Random = () => number;
const exponential = (random: Random, mean: number): number => -mean * Math.log(1 - random());

/** Poisson arrivals over [from, to) with the given mean gap, each with its processing time. */
function poisson(random: Random, from: number, to: number, meanGap: number, processing: () => number): TraceMessage[] {
  const messages: TraceMessage[] = [];
  for (let at = from + exponential(random, meanGap); at < to; at += exponential(random, meanGap)) {
    messages.push({ arrival: at, processing: processing() });
  }
  return messages;
}

/** CGAP: a submission of 20–200 ingestions (5–40 min each) within half an hour, then idle hours. */
function cgapLike(random: Random): TraceMessage[] {
  const messages: TraceMessage[] = [];
  for (let start = 2 * HOUR; start < 4 * 24 * HOUR; start += between(random, 18, 30) * HOUR) {
    const size = Math.floor(between(random, 20, 201));
    const spread = between(random, 2, 30) * MINUTE;
    for (let index = 0; index < size; index += 1) {
      messages.push({ arrival: start + random() * spread, processing: between(random, 5, 40) * MINUTE });
    }
  }
  return messages;
}

/** A steady trickle: one message every 12 minutes on average for a day, 2–8 minutes each. */
const steadyTrickle = (random: Random): TraceMessage[] =>
  poisson(random, 0, 24 * HOUR, 12 * MINUTE, () => between(random, 2, 8) * MINUTE);

/** Three days of a quiet background with a morning spike of 40–80 messages within 10 minutes. */
function dailySpike(random: Random): TraceMessage[] {
  const messages = poisson(random, 0, 72 * HOUR, 60 * MINUTE, () => between(random, 2, 10) * MINUTE);
  for (let day = 0; day < 3; day += 1) {
    const start = day * 24 * HOUR + 9 * HOUR + between(random, -15, 15) * MINUTE;
    const size = Math.floor(between(random, 40, 81));
    for (let index = 0; index < size; index += 1) {
      messages.push({ arrival: start + random() * 10 * MINUTE, processing: between(random, 3, 12) * MINUTE });
    }
  }
  return messages;
}

/** One message after eight idle hours: the scale-from-zero case. */
const loneMessage = (random: Random): TraceMessage[] => [
  { arrival: 8 * HOUR + random() * MINUTE, processing: 15 * MINUTE },
];

/**
 * Arrivals over [from, to) whose rate follows `busyAt` (tasks kept busy at time t, for the mean
 * processing time `meanProcessing`): a Poisson process thinned from the highest rate.
 */
function busyPoisson(
  random: Random,
  from: number,
  to: number,
  busyAt: (at: number) => number,
  maxBusy: number,
  processing: () => number,
  meanProcessing: number,
): TraceMessage[] {
  const candidates = poisson(random, from, to, meanProcessing / maxBusy, processing);
  return candidates.filter((message) => random() < busyAt(message.arrival) / maxBusy);
}

/** A working day's swell: `low` busy at midnight, `high` at noon. */
const swell =
  (low: number, high: number) =>
  (at: number): number =>
    low + ((high - low) * (1 - Math.cos((2 * Math.PI * at) / (24 * HOUR)))) / 2;

/** A moderate steady day: arrivals that keep 2–3.5 tasks busy (3–10 min each), lowest at midnight. */
const moderateSteady = (random: Random): TraceMessage[] =>
  busyPoisson(random, 0, 24 * HOUR, swell(2, 3.5), 3.5, () => between(random, 3, 10) * MINUTE, 6.5 * MINUTE);

/** Heavy load with bursts: 2–3 tasks busy all day, and every 2–4 h a burst of 20–40 within 5 min. */
function heavyBursts(random: Random): TraceMessage[] {
  const processing = (): number => between(random, 3, 10) * MINUTE;
  const messages = busyPoisson(random, 0, 24 * HOUR, swell(2, 3), 3, processing, 6.5 * MINUTE);
  for (let start = between(random, 1, 3) * HOUR; start < 23 * HOUR; start += between(random, 2, 4) * HOUR) {
    const size = 20 + Math.floor(random() * 21);
    for (let index = 0; index < size; index += 1)
      messages.push({ arrival: start + random() * 5 * MINUTE, processing: processing() });
  }
  return messages;
}

/**
 * CGAP's indexer queues: every 1–6 h for 3 days, an indexing burst of 50–400 items (5–60 s each)
 * queued within 1–10 min, after edits or an ingestion; a few stray items between them.
 */
function indexingBursts(random: Random): TraceMessage[] {
  const item = (): number => between(random, 5, 60);
  const messages = poisson(random, 0, 72 * HOUR, 30 * MINUTE, item);
  for (let start = between(random, 1, 3) * HOUR; start < 72 * HOUR; start += between(random, 1, 6) * HOUR) {
    const size = 50 + Math.floor(random() * 351);
    const spread = between(random, 1, 10) * MINUTE;
    for (let index = 0; index < size; index += 1)
      messages.push({ arrival: start + random() * spread, processing: item() });
  }
  return messages;
}

// New traces go at the end: each trace's stream is keyed by its index, so the others stay as they were.
const TRACES: Record<string, { describe: string; make: (random: Random) => TraceMessage[] }> = {
  'cgap-like': {
    describe: 'bursts of 20-200 ingestions of 5-40 min each, then 18-30 h until the next',
    make: cgapLike,
  },
  'steady-trickle': {
    describe: 'Poisson arrivals every 12 min on average for 24 h, 2-8 min each',
    make: steadyTrickle,
  },
  'daily-spike': {
    describe: '3 days: a message an hour plus 40-80 within 10 min each morning, 3-12 min each',
    make: dailySpike,
  },
  'lone-message': { describe: 'one 15 min message after 8 idle hours', make: loneMessage },
  'cgap-week': {
    describe:
      'Monday to Sunday: 1-3 submissions of 5-80 ingestions (5-40 min) each working day, rare small ones at the weekend',
    make: (random) => cgapWeeks(random, 1),
  },
  herd: {
    describe: '3 days: every 4-8 h, 30-60 messages of 1-4 min within one minute',
    make: herd,
  },
  'moderate-steady': {
    describe: 'a day of Poisson arrivals keeping 2-3.5 tasks busy (3-10 min each), the most at noon',
    make: moderateSteady,
  },
  'heavy-bursts': {
    describe: 'a day keeping 2-3 tasks busy (3-10 min each) and every 2-4 h a burst of 20-40 within 5 min',
    make: heavyBursts,
  },
  'holiday-month': {
    describe: `three cgap-week weeks, then a holiday week of five lone messages (5-40 min); ${HOLIDAY_WEEK}`,
    make: holidayMonth,
  },
  'indexing-bursts': {
    describe: '3 days of indexer work: every 1-6 h 50-400 items of 5-60 s within 1-10 min, a stray item every 30 min',
    make: indexingBursts,
  },
};

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '6' }, weeks: { type: 'string' }, out: { type: 'string' } },
});
const seed = Number(values.seed);
if (values.weeks !== undefined) {
  const weeks = Number(values.weeks);
  if (!Number.isInteger(weeks) || weeks < 1 || values.out === undefined)
    throw new Error('--weeks N (≥ 1) needs --out FILE');
  const messages = cgapWeeks(randomStream(seed, SALT.traces, 100 + weeks), weeks);
  writeFileSync(
    values.out,
    formatTraceCsv(
      `cgap-weeks: ${weeks} weeks of cgap-week (make-traces.ts --seed ${seed} --weeks ${weeks})`,
      messages,
    ),
  );
  console.log(`${values.out}: ${messages.length} messages`);
} else {
  const directory = fileURLToPath(new URL('traces/', import.meta.url));
  Object.entries(TRACES).forEach(([name, trace], index) => {
    const messages = trace.make(randomStream(seed, SALT.traces, index)).sort((a, b) => a.arrival - b.arrival);
    writeFileSync(
      join(directory, `${name}.csv`),
      formatTraceCsv(`${name}: ${trace.describe} (make-traces.ts --seed ${seed})`, messages),
    );
    console.log(`${name}: ${messages.length} messages`);
  });
}
