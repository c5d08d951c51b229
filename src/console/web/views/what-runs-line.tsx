import type { EnvironmentStatus } from '../api-types.js';
import { releaseHref } from '../router.js';
import { healthSaid } from '../words.js';
import { Badge } from './badge.js';

/**
 * What the environment runs, read from ECS by the API (not the newest release created), with its
 * health, why, and the command an operator would run next when it is not Healthy.
 */
export function WhatRunsLine({ status }: { status: EnvironmentStatus }) {
  const { running } = status;
  return (
    <div class="what-runs">
      <div>
        <span class="label">running</span>{' '}
        {running ? (
          <a href={releaseHref(running.releaseId)} class="mono">
            {running.version}
          </a>
        ) : (
          <span class="muted">no release the conductor knows</span>
        )}{' '}
        <Badge said={healthSaid(status.health)} />
      </div>
      <div class={`small ${status.health === 'Degraded' ? 'bad-text' : 'muted'}`}>{status.healthReason}</div>
      {status.nextStep && (
        <div class="small">
          <span class="label">next</span> <code>{status.nextStep}</code>
        </div>
      )}
    </div>
  );
}
