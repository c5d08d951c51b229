import { ApprovalActions } from '../actions/approval-actions.js';
import type { ReleaseView } from '../api-types.js';
import { ago, duration, who } from '../format.js';
import { isMoving } from '../../../domain/release-states.js';
import { releaseHref } from '../router.js';
import { Badge } from './badge.js';
import { failureSaid, releaseSaid } from '../words.js';
import { ReleaseTimeline } from './release-timeline.js';

/**
 * The environment's releases, newest first: each a summary line, the newest (or a moving one) with
 * its timeline; one waiting for approval with its Approve and Reject buttons.
 */
export function ReleasesList(props: {
  releases: ReleaseView[];
  now: number;
  onAnswered: () => void;
  production: boolean;
}) {
  const { releases, now } = props;
  if (releases.length === 0) return <p class="muted">No release yet: push a source image or build a version.</p>;
  return (
    <ol class="releases" aria-label="releases">
      {releases.map((release, index) => {
        const open = index === 0 || isMoving(release.state) || release.state === 'AWAITING_APPROVAL';
        const failure = failureSaid(release);
        const end = release.completedAt ?? (isMoving(release.state) ? undefined : release.updatedAt);
        return (
          <li key={release.id} class="release">
            <details open={open}>
              <summary>
                <a href={releaseHref(release.id)} class="mono">
                  {release.version}
                </a>{' '}
                <Badge said={releaseSaid(release)} />{' '}
                {failure ? (
                  <span class="bad-text small">{failure}</span>
                ) : (
                  isMoving(release.state) && <span class="small">{release.timeline.at(-1)?.step}</span>
                )}{' '}
                <span class="muted small">
                  · by {who(release.triggeredBy)} · {ago(release.createdAt, now)} ·{' '}
                  {duration((end ? Date.parse(end) : now) - Date.parse(release.createdAt))}
                </span>
              </summary>
              <ApprovalActions release={release} onAnswered={props.onAnswered} production={props.production} />
              <ReleaseTimeline release={release} now={now} />
            </details>
          </li>
        );
      })}
    </ol>
  );
}
