import { basename } from 'node:path';

/**
 * Workload traces: one message per CSV line, `arrival seconds,processing seconds`. A header line,
 * blank lines and `#` comments are allowed, so anyone can export their own queue's history.
 */
/** Trace time 0 as a wall-clock time: a Monday at 00:00 UTC, so hours of the week mean what they say. */
export const TRACE_START_EPOCH_MS = Date.parse('2024-01-01T00:00:00Z');

export interface TraceMessage {
  /** Seconds from the start of the trace when the message is sent. */
  arrival: number;
  /** Seconds one task works on it. */
  processing: number;
}

export interface Trace {
  name: string;
  /** Sorted by arrival. */
  messages: TraceMessage[];
  /**
   * A week the goal also judges on its own (a holiday after normal weeks), from a comment
   * `goal week: FROM-TO` (seconds).
   */
  goalWeek?: { from: number; to: number };
}

const GOAL_WEEK = /goal week: (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)/;

const isNumber = (field: string): boolean => field.trim() !== '' && Number.isFinite(Number(field));

export function parseTraceCsv(path: string, text: string): Trace {
  const messages: TraceMessage[] = [];
  let goalWeek: Trace['goalWeek'];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const week = line.startsWith('#') ? GOAL_WEEK.exec(line) : null;
    if (week) goalWeek = { from: Number(week[1]), to: Number(week[2]) };
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(',');
    const [arrival = '', processing = ''] = fields;
    if (!isNumber(arrival) || !isNumber(processing)) {
      if (messages.length === 0 && !isNumber(arrival)) return; // the header
      throw new Error(`${path}:${index + 1}: expected "arrival seconds,processing seconds", got "${line}"`);
    }
    const message = { arrival: Number(arrival), processing: Number(processing) };
    if (message.arrival < 0 || message.processing <= 0) {
      throw new Error(`${path}:${index + 1}: arrival must be ≥ 0 and processing > 0, got "${line}"`);
    }
    messages.push(message);
  });
  if (messages.length === 0) throw new Error(`${path}: no messages`);
  messages.sort((a, b) => a.arrival - b.arrival);
  const name = basename(path).replace(/\.csv$/i, '');
  return goalWeek === undefined ? { name, messages } : { name, messages, goalWeek };
}

export function formatTraceCsv(comment: string, messages: readonly TraceMessage[]): string {
  const rows = messages.map((message) => `${message.arrival.toFixed(1)},${message.processing.toFixed(1)}`);
  return [`# ${comment}`, 'arrival_seconds,processing_seconds', ...rows, ''].join('\n');
}

/**
 * Groups messages into bursts: a gap of `gapSeconds` or more between arrivals starts a new one.
 * Returns the indexes of each burst's messages.
 */
export function burstsOf(messages: readonly TraceMessage[], gapSeconds: number): number[][] {
  const bursts: number[][] = [];
  let previous = -Infinity;
  messages.forEach((message, index) => {
    const current = bursts.at(-1);
    if (current === undefined || message.arrival - previous >= gapSeconds) bursts.push([index]);
    else current.push(index);
    previous = message.arrival;
  });
  return bursts;
}
