/**
 * The autoscaler's tick chain: one delayed SQS message at a time carries the re-check every
 * `recheckSeconds`, so no invocation sleeps between passes. A heartbeat in the state table says which
 * chain is alive and how far it got; every step is a conditional write on it, so duplicates, stale
 * ticks and racing schedules leave one chain. The one-minute schedule starts a new chain only when
 * the heartbeat has gone quiet (a lost tick, a crash), and otherwise does nothing.
 */

/** One link of a chain: the `seq`-th tick of chain `chainId`. */
export interface Tick {
  chainId: string;
  seq: number;
}

/** The chain's heartbeat as stored: the last tick that won its write, and when. */
export interface Heartbeat extends Tick {
  at: Date;
}

/**
 * A direct invocation asking for one pass now, outside the chain: no heartbeat is written and no tick
 * sent, so the chain goes on as it was (a pass is a read and at most one guarded write per service).
 */
export const PASS_REQUEST = { autoscale: 'pass now' } as const;

export function isPassRequest(event: unknown): boolean {
  return (event as { autoscale?: unknown } | null)?.autoscale === PASS_REQUEST.autoscale;
}

/** What invoked the autoscaler: the one-minute schedule, or a tick from the queue. */
export type ChainTrigger = { kind: 'schedule' } | { kind: 'tick'; tick: Tick };

/**
 * What to attempt: `start` writes seq 0 of a new chain unless a heartbeat is newer than
 * `staleBefore`; `advance` writes the tick unless the stored heartbeat is not its predecessor. The
 * winner of the write makes a pass and sends the next tick; `none` ends here, sending nothing.
 */
export type ChainStep =
  | { action: 'start'; tick: Tick; staleBefore: Date }
  | { action: 'advance'; tick: Tick }
  | { action: 'none'; reason: 'chain alive' | 'other chain' | 'already run' | 'no chain' | 'out of order' };

/**
 * Seconds of silence beyond two re-check intervals before a chain counts as broken: room for a pass
 * and SQS's delivery lag, so a healthy chain is never replaced by the schedule.
 */
export const CHAIN_MARGIN_SECONDS = 15;

/** How long a heartbeat stays fresh: a chain quieter than this is replaced by the schedule. */
export function chainStaleAfterMs(recheckSeconds: number): number {
  return (2 * recheckSeconds + CHAIN_MARGIN_SECONDS) * 1000;
}

export function decideChainStep(
  trigger: ChainTrigger,
  stored: Heartbeat | undefined,
  now: Date,
  recheckSeconds: number,
  newChainId: () => string,
): ChainStep {
  if (trigger.kind === 'schedule') {
    const staleBefore = new Date(now.getTime() - chainStaleAfterMs(recheckSeconds));
    if (stored && stored.at >= staleBefore) return { action: 'none', reason: 'chain alive' };
    return { action: 'start', tick: { chainId: newChainId(), seq: 0 }, staleBefore };
  }
  const { tick } = trigger;
  if (!stored) return { action: 'none', reason: 'no chain' };
  if (stored.chainId !== tick.chainId) return { action: 'none', reason: 'other chain' };
  if (stored.seq >= tick.seq) return { action: 'none', reason: 'already run' };
  if (stored.seq !== tick.seq - 1) return { action: 'none', reason: 'out of order' };
  return { action: 'advance', tick };
}

/** The tick that follows `tick` in its chain. */
export function nextTick(tick: Tick): Tick {
  return { chainId: tick.chainId, seq: tick.seq + 1 };
}

/** A tick message's body, or undefined when it is not one (logged and dropped by the caller). */
export function parseTick(body: string): Tick | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<Tick> | null;
    const { chainId, seq } = parsed ?? {};
    return typeof chainId === 'string' && chainId !== '' && Number.isSafeInteger(seq) && (seq ?? -1) >= 0
      ? { chainId, seq: seq as number }
      : undefined;
  } catch {
    return undefined;
  }
}
