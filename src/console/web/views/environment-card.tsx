import { api, apiPath } from '../api.js';
import type { EnvironmentStatus } from '../api-types.js';
import { environmentHref, releaseHref } from '../router.js';
import { usePoll } from '../use-poll.js';
import { releaseSaid, serviceRolloutSaid } from '../words.js';
import { Badge } from './badge.js';
import { Problem } from './problem.js';
import { HoldLine } from './queues-table.js';
import { RoutineRedeployLine, routineFailing } from './routine-redeploy-line.js';
import { serviceTrouble } from './services-table.js';
import { WhatRunsLine } from './what-runs-line.js';

const POLL_MS = 5000;

/**
 * One environment at a glance, from what it runs (ECS) and its health: a release that failed stays in
 * the history, and the card is red only while the environment itself is Degraded (or its routine
 * redeploy keeps failing).
 */
export function EnvironmentCard({ name }: { name: string }) {
  const { data: status, problem } = usePoll(
    () => api<EnvironmentStatus>('GET', apiPath('environments', name)),
    POLL_MS,
    name,
  );
  const troubled = status?.services.filter((service) => serviceTrouble(service)) ?? [];
  const bad = status?.health === 'Degraded' || routineFailing(status?.routineRedeploy);
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
          <WhatRunsLine status={status} />
          <RoutineRedeployLine routine={status.routineRedeploy} />
          <PendingLine status={status} />
          <ul class="service-list" aria-label="services">
            {status.services.map((service) => (
              <li key={service.key} class={serviceTrouble(service) ? 'bad-text' : undefined}>
                <span class="service-name">{service.key}</span>
                <span class="mono">
                  {service.runningCount ?? '–'}/{service.desiredCount ?? '–'} running
                  {service.pendingCount ? `, ${service.pendingCount} pending` : ''}
                </span>
                <span class="muted small">of {service.configuredDesiredCount}</span>
                {!status.running && service.version && <span class="mono small">{service.version}</span>}
                {service.rolloutState && service.rolloutState !== 'COMPLETED' && (
                  <Badge said={serviceRolloutSaid(service.rolloutState)} />
                )}
              </li>
            ))}
          </ul>
          {status.queues.map((queue) => (
            <div key={queue.key} class="small">
              <span class="label">queue {queue.key}</span> {queue.visible} waiting · {queue.inFlight} in flight
              {queue.hold && (
                <>
                  {' '}
                  · <HoldLine hold={queue.hold} />
                </>
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

/** A release on its way in (building, deploying, or waiting for approval), linked to its page. */
function PendingLine({ status }: { status: EnvironmentStatus }) {
  const latest = status.latestRelease;
  const pending = status.activeRelease ?? (latest?.state === 'AWAITING_APPROVAL' ? latest : null);
  if (!pending) return null;
  return (
    <div class="active">
      <span class="label">{status.activeRelease ? 'in progress' : 'waiting'}</span>{' '}
      <a href={releaseHref(pending.id)} class="mono">
        {pending.version}
      </a>{' '}
      <Badge said={releaseSaid({ state: pending.state })} /> <span class="small">{pending.currentStep ?? ''}</span>
    </div>
  );
}
