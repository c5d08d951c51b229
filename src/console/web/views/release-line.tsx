import type { ReleaseSummary } from '../api-types.js';
import { ago } from '../format.js';
import { releaseHref } from '../router.js';
import { Badge } from './badge.js';
import { releaseSaid } from '../words.js';

/** `1.4.0 COMPLETED 3m ago`, linking to the release's timeline. */
export function ReleaseLine({ release }: { release: ReleaseSummary }) {
  return (
    <span class="release-line">
      <a href={releaseHref(release.id)} class="mono">
        {release.version}
      </a>{' '}
      <Badge said={releaseSaid({ state: release.state })} /> <span class="muted small">{ago(release.updatedAt)}</span>
    </span>
  );
}
