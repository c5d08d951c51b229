/**
 * What the autoscaler remembers of its own wake-ups from zero, so that the next one starts at the size
 * wake-ups usually reach (rule 5b of scaling.ts). A count read after idle hours cannot tell a lone
 * message from the first of a burst, and it is a minute late: a burst met one task at a time ramps a
 * check per task.
 *
 * It learns from the tasks a wake-up actually used (the most tasks seen holding messages), never from
 * the count it asked for: a wake-up started at the usual size that used one task teaches one, so the
 * memory cannot feed on itself. It forgets: a wake-up older than a week is dropped (a rhythm the last
 * week did not confirm is no rhythm), and the last wake-up caps the usual size (a quiet week after busy
 * ones wastes one wake-up's extra tasks, not one per message). With nothing recorded in the last week
 * a wake-up starts what the backlog needs and nothing more. A phantom's wake-up used no task and is
 * not recorded.
 */
export interface Wakeup {
  /** The most tasks seen holding messages during the wake-up. */
  used: number;
  /** When it began (epoch ms). */
  at: number;
}

export interface Wakeups {
  /** The last `WAKEUPS_KEPT` wake-ups of the last week that used a task, oldest first. */
  peaks: Wakeup[];
  /** The wake-up in progress: when it began and the most tasks seen used so far. */
  current?: Wakeup;
}

export const WAKEUPS_KEPT = 5;
/** A wake-up is forgotten a week after it began: the rhythm is weekly, and a week did not confirm it. */
export const WAKEUP_MEMORY_MS = 7 * 24 * 3600 * 1000;

/** A recorded wake-up as read back from the table; anything else (an older format) is dropped. */
const isWakeup = (value: unknown): value is Wakeup =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as Wakeup).used) &&
  Number.isFinite((value as Wakeup).at);

/** The recorded wake-ups that the last week still confirms. */
export function rememberedWakeups(wakeups: Wakeups | undefined, now: number): Wakeup[] {
  return (wakeups?.peaks ?? []).filter((peak) => isWakeup(peak) && now - peak.at < WAKEUP_MEMORY_MS);
}

/**
 * The usual size of a wake-up: the lower median (the smaller middle one) of the tasks used by the
 * wake-ups of the last week, and no more than the last of them used; 0 when none is remembered.
 */
export function usualWakeup(wakeups: Wakeups | undefined, now: number): number {
  const remembered = rememberedWakeups(wakeups, now);
  const last = remembered.at(-1);
  if (last === undefined) return 0;
  const used = remembered.map((peak) => peak.used).sort((a, b) => a - b);
  return Math.min(last.used, used[Math.floor((used.length - 1) / 2)] ?? 0);
}

/** The record after a decision at `now` from `from` to `to` tasks, with `busy` tasks seen holding messages. */
export function nextWakeups(
  previous: Wakeups | undefined,
  now: number,
  from: number,
  to: number,
  busy: number,
): Wakeups | undefined {
  const peaks = rememberedWakeups(previous, now);
  let current = previous?.current && isWakeup(previous.current) ? previous.current : undefined;
  if (from === 0 && to > 0) current = { used: busy, at: now };
  else if (current !== undefined) current = { ...current, used: Math.max(current.used, busy) };
  if (to === 0 && current !== undefined) {
    const recorded = current.used > 0 ? [...peaks, current].slice(-WAKEUPS_KEPT) : peaks;
    return recorded.length > 0 ? { peaks: recorded } : undefined;
  }
  if (current === undefined && peaks.length === 0) return undefined;
  return { peaks, ...(current === undefined ? {} : { current }) };
}

const sameWakeup = (a: Wakeup | undefined, b: Wakeup | undefined): boolean => a?.used === b?.used && a?.at === b?.at;

/** Same record (as read back from the table): nothing new to store. */
export function sameWakeups(a: Wakeups | undefined, b: Wakeups | undefined): boolean {
  const left = a?.peaks ?? [];
  const right = b?.peaks ?? [];
  return (
    left.length === right.length &&
    left.every((peak, index) => sameWakeup(peak, right[index])) &&
    sameWakeup(a?.current, b?.current)
  );
}
