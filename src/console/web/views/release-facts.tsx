import type { ReleaseView } from '../api-types.js';
import { FailureLogLink, LogsLink } from '../log-links.js';
import { clock, duration, who } from '../format.js';
import { environmentHref } from '../router.js';
import { isMoving } from '../../../domain/release-states.js';
import { Badge } from './badge.js';
import { buildSaid, failureSaid, ROLLOUT_KIND, shortDigest } from '../words.js';

/** Who started it, when, how long, and why it failed with the link to its logs. */
export function ReleaseFacts({ release, now }: { release: ReleaseView; now: number }) {
  const end = release.completedAt ?? (isMoving(release.state) ? undefined : release.updatedAt);
  const took = (end ? Date.parse(end) : now) - Date.parse(release.createdAt);
  return (
    <dl class="facts">
      <dt>environment</dt>
      <dd>
        <a href={environmentHref(release.environment)}>{release.environment}</a>
      </dd>
      <dt>started by</dt>
      <dd>{who(release.triggeredBy)}</dd>
      {release.rollout && (
        <>
          <dt>last rollout</dt>
          <dd>
            {ROLLOUT_KIND[release.rollout.kind]} #{release.rollout.attempt} by {who(release.rollout.triggeredBy)}
            {release.rollout.rollingBackFrom ? ` (from ${release.rollout.rollingBackFrom})` : ''}
          </dd>
        </>
      )}
      <dt>created</dt>
      <dd>{clock(release.createdAt, now)}</dd>
      <dt>{end ? 'took' : 'running for'}</dt>
      <dd>{duration(took)}</dd>
      <dt>source</dt>
      <dd class="mono small">{release.sourceDigest}</dd>
      {release.failure && (
        <>
          <dt>failure</dt>
          <dd class="bad-text">
            {failureSaid(release)}
            <FailureLogLink link={release.failure.logLink} />
          </dd>
        </>
      )}
    </dl>
  );
}

/** One row per entrypoint: the tag it pushed, its CodeBuild build and the digest it produced. */
export function BuildsTable({ release }: { release: ReleaseView }) {
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">entrypoint</th>
          <th scope="col">image tag</th>
          <th scope="col">build</th>
          <th scope="col">digest</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(release.builds).map(([name, build]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td class="mono small">{build.imageTag}</td>
            <td>
              <Badge said={buildSaid(build.status)} /> <span class="mono small muted">{build.buildId ?? ''}</span>
              <LogsLink detail={build.buildId} />
            </td>
            <td class="mono small" title={build.digest}>
              {build.digest ? shortDigest(build.digest) : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
