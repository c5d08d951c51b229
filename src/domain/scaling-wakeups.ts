/**
 * What the autoscaler remembers of its own wake-ups from zero, so that the next one starts at the size
 * wake-ups usually reach (rule 5b of scaling.ts). A count read after idle hours cannot tell a lone
 * message from the first of a burst, and it is a minute late: a burst met one task at a time ramps a
 * check per task. Only wake-ups that received a message count; a phantom count's does not.
 */
export interface Wakeups {
  /** The peak desired count of each of the last `WAKEUPS_KEPT` wake-ups that received a message, oldest first. */
  peaks: number[];
  /** The wake-up in progress: its peak so far, and whether a message has been seen in flight. */
  current?: { peak: number; received: boolean };
}

export const WAKEUPS_KEPT = 5;
/**
 * Below this many recorded wake-ups there is no usual size yet. One is enough: a wake-up too large
 * costs its unused tasks about 75 s each (rule 6c).
 */
const WAKEUPS_NEEDED = 1;

/** The lower median of the recorded peaks (the smaller middle one), or 0 before `WAKEUPS_NEEDED`. */
export function usualWakeup(wakeups: Wakeups | undefined): number {
  const peaks = [...(wakeups?.peaks ?? [])].sort((a, b) => a - b);
  if (peaks.length < WAKEUPS_NEEDED) return 0;
  return peaks[Math.floor((peaks.length - 1) / 2)] ?? 0;
}

/** The record after a decision from `from` to `to` tasks, with `busy` tasks seen holding messages. */
export function nextWakeups(
  previous: Wakeups | undefined,
  from: number,
  to: number,
  busy: number,
): Wakeups | undefined {
  const peaks = previous?.peaks ?? [];
  let current = previous?.current;
  if (from === 0 && to > 0) current = { peak: to, received: false };
  else if (current !== undefined)
    current = { peak: Math.max(current.peak, to), received: current.received || busy > 0 };
  if (to === 0 && current !== undefined) {
    const recorded = current.received ? [...peaks, current.peak].slice(-WAKEUPS_KEPT) : peaks;
    return recorded.length > 0 ? { peaks: recorded } : undefined;
  }
  if (current === undefined && peaks.length === 0) return undefined;
  return { peaks, ...(current === undefined ? {} : { current }) };
}

/** Same record (as read back from the table): nothing new to store. */
export function sameWakeups(a: Wakeups | undefined, b: Wakeups | undefined): boolean {
  return (
    (a?.peaks ?? []).join() === (b?.peaks ?? []).join() &&
    a?.current?.peak === b?.current?.peak &&
    a?.current?.received === b?.current?.received
  );
}
