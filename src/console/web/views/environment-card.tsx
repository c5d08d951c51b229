import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, ReleaseView } from '../api-types.js';
import { clock } from '../format.js';
import { environmentHref, releaseHref } from '../router.js';
import { usePoll } from '../use-poll.js';
import { Badge } from './badge.js';
import { Problem } from './problem.js';
import { ReleaseLine, RunningLine } from './release-line.js';
import { RoutineRedeployLine, routineFailing } from './routine-redeploy-line.js';
import { serviceTrouble } from './services-table.js';

const POLL_MS = 5000;

/** Why the newest release failed, read once per failed release. */
function FailureReason({ id }: { id: string }) {
  const { data } = usePoll(() => api<ReleaseView>('GET', apiPath('releases', id)), undefined, id);
  return data?.failure ? <div class="bad-text small">{data.failure.reason}</div> : null;
}

/** One environment at a glance; whatever is failing is red and said in words. */
export function EnvironmentCard({ name }: { name: string }) {
  const { data: status, problem } = usePoll(
    () => api<EnvironmentStatus>('GET', apiPath('environments', name)),
    POLL_MS,
    name,
  );
  const troubled = status?.services.filter((service) => serviceTrouble(service)) ?? [];
  const failed = status?.latestRelease?.state === 'FAILED';
  const bad = failed || troubled.length > 0 || routineFailing(status?.routineRedeploy);
  const active = status?.activeRelease;
  return (
    <article class={`card ${bad ? 'card-bad' : ''}`} aria-label={`environment ${name}`}>
      <header class="card-head">
        <h2>
          <a href={environmentHref(name)}>{name}</a>
        </h2>
        {status && <span class="muted small">cluster {status.cluster}</span>}
      </header>
      <Problem problem={problem} />
      {!status && !problem && <p class="muted">Loading…</p>}
      {status && (
        <div class="card-body">
          <RunningLine running={status.running} />
          <RoutineRedeployLine routine={status.routineRedeploy} />
          <div>
            <span class="label">last release</span>{' '}
            {status.latestRelease ? (
              <ReleaseLine release={status.latestRelease} />
            ) : (
              <span class="muted">none yet</span>
            )}
            {failed && status.latestRelease && <FailureReason id={status.latestRelease.id} />}
          </div>
          {active && (
            <div class="active">
              <span class="label">in progress</span> <Badge state={active.state} />{' '}
              <a href={releaseHref(active.id)} class="mono">
                {active.version}
              </a>{' '}
              <span class="small">{active.currentStep ?? ''}</span>
            </div>
          )}
          <ul class="service-list" aria-label="services">
            {status.services.map((service) => (
              <li key={service.key} class={serviceTrouble(service) ? 'bad-text' : undefined}>
                <span class="service-name">{service.key}</span>
                <span class="mono">
                  {service.runningCount ?? '–'}/{service.desiredCount ?? '–'} running
                  {service.pendingCount ? `, ${service.pendingCount} pending` : ''}
                </span>
                <span class="muted small">of {service.configuredDesiredCount}</span>
                {service.rolloutState && service.rolloutState !== 'COMPLETED' && <Badge state={service.rolloutState} />}
              </li>
            ))}
          </ul>
          {status.queues.map((queue) => (
            <div key={queue.key} class="small">
              <span class="label">queue {queue.key}</span> {queue.visible} waiting · {queue.inFlight} in flight
              {queue.hold && (
                <span class="warn-text">
                  {' '}
                  · held at {queue.hold.desiredCount} until {clock(queue.hold.until)}
                </span>
              )}
            </div>
          ))}
          {troubled.length > 0 && (
            <div class="bad-text small" role="status">
              ⚠ {troubled.map((service) => `${service.key}: ${serviceTrouble(service) ?? ''}`).join('; ')}
            </div>
          )}
        </div>
      )}
    </article>
  );
}
