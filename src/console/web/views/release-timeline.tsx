import type { ReleaseView } from '../api-types.js';
import { clock, duration } from '../format.js';
import { LogsLink } from '../log-links.js';
import { timelinePhases, type PhaseOutcome } from '../timeline.js';
import { isMoving } from '../../../domain/release-states.js';
import { Badge } from './badge.js';
import type { Tone } from '../words.js';

const OUTCOME_TONE: Record<PhaseOutcome, Tone> = {
  running: 'busy',
  succeeded: 'good',
  failed: 'bad',
  interrupted: 'warn',
};

/** A release's phases (build, each rollout attempt) with every step: when, how long, what it said. */
export function ReleaseTimeline({ release, now }: { release: ReleaseView; now: number }) {
  const phases = timelinePhases(release.timeline, !isMoving(release.state), now);
  return (
    <div class="timeline">
      {phases.map((phase) => (
        <section key={`${phase.title}-${phase.startedAt}`} class={`phase phase-${phase.outcome}`}>
          <h3>
            {phase.title} <Badge said={{ word: phase.outcome, tone: OUTCOME_TONE[phase.outcome] }} />{' '}
            <span class="muted small">
              {clock(phase.startedAt, now)} · {duration(phase.durationMs)}
            </span>
          </h3>
          <ol>
            {phase.steps.map((step, index) => (
              <li key={`${step.at}-${index}`} class={step.failed ? 'step-failed' : undefined}>
                <time dateTime={step.at}>{clock(step.at, now)}</time>
                <span class="step">{step.step}</span>
                <span class="muted small took">{step.tookMs === undefined ? '' : duration(step.tookMs)}</span>
                {step.detail && step.detail !== release.failure?.reason && (
                  <div class="detail small mono">
                    {step.detail}
                    <LogsLink detail={step.detail} />
                  </div>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
