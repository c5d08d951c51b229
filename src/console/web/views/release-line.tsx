import type { ReleaseSummary, RunningRelease } from '../api-types.js';
import { ago } from '../format.js';
import { releaseHref } from '../router.js';
import { Badge } from './badge.js';

/** `1.4.0 COMPLETED 3m ago`, linking to the release's timeline. */
export function ReleaseLine({ release }: { release: ReleaseSummary }) {
  return (
    <span class="release-line">
      <a href={releaseHref(release.id)} class="mono">
        {release.version}
      </a>{' '}
      <Badge state={release.state} /> <span class="muted small">{ago(release.updatedAt)}</span>
    </span>
  );
}

/** What the services run now (absent before the environment's first completed rollout). */
export function RunningLine({ running }: { running: RunningRelease | null | undefined }) {
  if (!running) return null;
  return (
    <div>
      <span class="label">running</span>{' '}
      <a href={releaseHref(running.releaseId)} class="mono">
        {running.version}
      </a>
    </div>
  );
}
