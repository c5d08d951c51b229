import { useEffect, useState } from 'preact/hooks';
import { ApprovalActions } from '../actions/approval-actions.js';
import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, ReleaseView } from '../api-types.js';
import { isProduction } from '../production.js';
import { isMoving } from '../../../domain/release-states.js';
import { usePoll } from '../use-poll.js';
import { Badge } from './badge.js';
import { releaseSaid } from '../words.js';
import { Problem } from './problem.js';
import { BuildsTable, ReleaseFacts } from './release-facts.js';
import { ReleaseGates } from './release-gates.js';
import { ReleaseTimeline } from './release-timeline.js';
import { RolloutSteps } from './rollout-steps.js';

/** Polls fast while the release moves; once settled, slowly (a rollback or re-run may start it again). */
const LIVE_MS = 1500;
const SETTLED_MS = 15_000;

/** One release watched to its end: rollout steps, facts, the full timeline and the builds. */
export function ReleasePage({ id }: { id: string }) {
  const [live, setLive] = useState(true);
  const {
    data: shown,
    problem,
    refresh,
  } = usePoll(() => api<ReleaseView>('GET', apiPath('releases', id)), live ? LIVE_MS : SETTLED_MS, id);
  useEffect(() => {
    setLive(shown === undefined || isMoving(shown.state));
  }, [shown?.state]);
  const production = useProductionFlag(shown?.state === 'AWAITING_APPROVAL' ? shown.environment : undefined);
  const now = Date.now();
  return (
    <section aria-labelledby="release-title">
      <h1 id="release-title">
        Release <span class="mono">{shown?.version ?? id}</span> {shown && <Badge said={releaseSaid(shown)} />}
      </h1>
      <p class="muted mono small">{id}</p>
      <Problem problem={problem} />
      {shown && (
        <>
          {live && (
            <p role="status" class="live">
              Following live: {shown.timeline.at(-1)?.step}
            </p>
          )}
          <ApprovalActions release={shown} onAnswered={refresh} production={production} />
          {shown.rollout && (
            <>
              <h2>Rollout</h2>
              <RolloutSteps
                steps={shown.rollout.steps}
                rollout={shown.rollout}
                outcome={live ? 'live' : shown.state === 'FAILED' ? 'failed' : 'completed'}
              />
            </>
          )}
          <ReleaseGates release={shown} now={now} />
          <ReleaseFacts release={shown} now={now} />
          <h2>Timeline</h2>
          <ReleaseTimeline release={shown} now={now} />
          <h2>Builds</h2>
          <BuildsTable release={shown} />
        </>
      )}
    </section>
  );
}

/**
 * Whether an environment is production, read from its status once a release there waits for an
 * answer; until it is read (or if it cannot be), it counts as production, so the name is asked for.
 */
function useProductionFlag(environment: string | undefined): boolean {
  const [production, setProduction] = useState(true);
  useEffect(() => {
    if (environment === undefined) return;
    api<EnvironmentStatus>('GET', apiPath('environments', environment)).then(
      (status) => {
        setProduction(isProduction(status));
      },
      () => {
        setProduction(true);
      },
    );
  }, [environment]);
  return production;
}
