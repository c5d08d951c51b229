import { AbortAction } from '../actions/abort-action.js';
import { BuildAction } from '../actions/build-action.js';
import { DeployAction } from '../actions/deploy-action.js';
import { EndHoldAction, RoutineRedeployAction } from '../actions/hold-redeploy-actions.js';
import { RollbackAction } from '../actions/rollback-action.js';
import { ScaleAction } from '../actions/scale-action.js';
import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, ReleasePage } from '../api-types.js';
import { QueueChart } from '../chart/queue-chart.js';
import { isProduction } from '../production.js';
import { usePoll } from '../use-poll.js';
import { Problem } from './problem.js';
import { ReleaseLine } from './release-line.js';
import { ReleasesList } from './releases-list.js';
import { RoutineRedeployLine } from './routine-redeploy-line.js';
import { QueuesTable } from './queues-table.js';
import { ServicesTable } from './services-table.js';
import { WhatRunsLine } from './what-runs-line.js';

const STATUS_MS = 3000;
const RELEASES_MS = 3000;

/** One environment: actions, services, queues (with their chart), and the releases as timelines. */
export function EnvironmentPage({ name }: { name: string }) {
  const status = usePoll(() => api<EnvironmentStatus>('GET', apiPath('environments', name)), STATUS_MS, name);
  const history = usePoll(
    () => api<ReleasePage>('GET', `${apiPath('environments', name, 'releases')}?limit=20`),
    RELEASES_MS,
    name,
  );
  const releases = history.data?.releases ?? [];
  const refresh = () => {
    status.refresh();
    history.refresh();
  };
  const current = status.data;
  // Until the status is read, every action asks for the name: never less care than production gets.
  const production = current === undefined || isProduction(current);
  return (
    <section aria-labelledby="environment-title">
      <h1 id="environment-title">{name}</h1>
      <Problem problem={status.problem} />
      {current && (
        <div class="summary">
          <WhatRunsLine status={current} />
          <span class="muted small">cluster {current.cluster}</span>
          {current.activeRelease && (
            <span>
              <span class="label">in progress</span> <ReleaseLine release={current.activeRelease} />{' '}
              {current.activeRelease.currentStep}
            </span>
          )}
        </div>
      )}
      {current && <RoutineRedeployLine routine={current.routineRedeploy} />}
      <div class="toolbar" role="toolbar" aria-label="actions">
        <BuildAction environment={name} production={production} />
        <DeployAction
          environment={name}
          releases={history.data?.releases}
          runningId={current?.running?.releaseId}
          production={production}
        />
        <RollbackAction environment={name} status={current} production={production} />
        <RoutineRedeployAction environment={name} status={current} production={production} />
        <AbortAction environment={name} status={current} production={production} />
      </div>
      <h2>Services</h2>
      {current && <ServicesTable services={current.services} />}
      {current && current.queues.length > 0 && (
        <>
          <h2>Queues</h2>
          <QueuesTable
            queues={current.queues}
            actions={(queue) => (
              <>
                <ScaleAction environment={name} queue={queue} onDone={refresh} production={production} />{' '}
                <EndHoldAction environment={name} queue={queue} onDone={refresh} production={production} />
              </>
            )}
          />
          {current.queues.map((queue) => (
            <QueueChart key={queue.key} environment={name} queue={queue} />
          ))}
        </>
      )}
      <h2>Releases</h2>
      <Problem problem={history.problem} />
      <ReleasesList releases={releases} now={Date.now()} onAnswered={refresh} production={production} />
    </section>
  );
}
