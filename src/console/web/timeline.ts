import type { TimelineEntry } from '../../domain/release.js';
import type { RolloutKind } from '../../domain/rollout-state.js';
import { ROLLOUT_KIND } from './words.js';

/**
 * A release's timeline as the page shows it: one phase for the build and one per rollout attempt
 * (deploy, rollback, re-run), each with its steps, how long each took and how the phase ended.
 * Earlier attempts stay, failed ones included.
 */

export type PhaseOutcome = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface PhaseStep extends TimelineEntry {
  /** Until the next step; for the last step of a live release, until now. */
  tookMs: number | undefined;
  failed: boolean;
}

export interface TimelinePhase {
  title: string;
  startedAt: string;
  durationMs: number;
  outcome: PhaseOutcome;
  steps: PhaseStep[];
}

const ATTEMPT = /^(deploy|rollback|rerun) started$/;
const isKind = (kind: string | undefined): kind is RolloutKind => kind !== undefined && kind in ROLLOUT_KIND;
const FAILED_STEP = /(failed|fault|timed_out|stopped)$/i;
const ENDS = new Map<string, PhaseOutcome>([
  ['release built', 'succeeded'],
  ['release completed', 'succeeded'],
  ['release failed', 'failed'],
]);

function outcomeOf(steps: TimelineEntry[], last: boolean, settled: boolean): PhaseOutcome {
  const ended = [...steps].reverse().find((step) => ENDS.has(step.step));
  if (ended) return ENDS.get(ended.step) ?? 'running';
  if (!last) return 'interrupted';
  return settled ? 'succeeded' : 'running';
}

export function timelinePhases(timeline: readonly TimelineEntry[], settled: boolean, now: number): TimelinePhase[] {
  const groups: TimelineEntry[][] = [];
  for (const entry of timeline) {
    const current = groups.at(-1);
    if (!current || ATTEMPT.test(entry.step)) groups.push([entry]);
    else current.push(entry);
  }
  const time = (entry: TimelineEntry | undefined) => (entry ? Date.parse(entry.at) : now);
  let attempt = 0;
  return groups.map((entries, index) => {
    const last = index === groups.length - 1;
    const first = entries[0];
    const matched = first ? ATTEMPT.exec(first.step)?.[1] : undefined;
    const kind = isKind(matched) ? matched : undefined;
    if (kind) attempt += 1;
    const next = groups[index + 1]?.[0];
    const steps = entries.map((entry, position) => {
      const following = entries[position + 1] ?? next;
      const tookMs = following || !settled ? time(following) - time(entry) : undefined;
      return { ...entry, tookMs, failed: FAILED_STEP.test(entry.step) };
    });
    const endAt = last && !settled ? now : time(next ?? entries.at(-1));
    return {
      title: kind ? `${ROLLOUT_KIND[kind]} · attempt ${attempt}` : 'build',
      startedAt: first?.at ?? new Date(now).toISOString(),
      durationMs: endAt - time(first),
      outcome: outcomeOf(entries, last, settled),
      steps,
    };
  });
}
