import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, QueueStatus, ReleaseView } from '../api-types.js';
import { clock } from '../format.js';
import { holdSaid } from '../words.js';
import { navigate, releaseHref } from '../router.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';

/** End a queue-driven service's manual hold (DELETE …/hold): offered only while a hold is in force. */
export function EndHoldAction(props: {
  environment: string;
  queue: QueueStatus;
  onDone: () => void;
  production: boolean;
}) {
  const { hold, service } = props.queue;
  if (!hold) return null;
  const run = async () => {
    await api('DELETE', `${apiPath('environments', props.environment, 'services', service)}/hold`);
    props.onDone();
  };
  return (
    <ActionButton
      label="End hold…"
      title={`let the autoscaler decide ${service}'s count again`}
      dialog={(close) => (
        <ConfirmDialog
          title={`End the hold on ${service} in ${props.environment}`}
          confirmLabel="End the hold"
          onClose={close}
          onConfirm={run}
          typeToConfirm={props.production ? props.environment : undefined}
        >
          <p>The service is {holdSaid(hold)}. The autoscaler follows the queue again from its next pass.</p>
        </ConfirmDialog>
      )}
    />
  );
}

/**
 * Run the routine deployment task now (POST /environments/{env}/redeploy), then follow the re-run on
 * its release's page. Offered when the status has a routine schedule: the environment has a routine
 * task and runs a recorded release.
 */
export function RoutineRedeployAction(props: {
  environment: string;
  status: EnvironmentStatus | undefined;
  production: boolean;
}) {
  const routine = props.status?.routineRedeploy;
  const running = props.status?.running;
  if (!routine) return null;
  const run = async () => {
    const release = await api<ReleaseView>('POST', `${apiPath('environments', props.environment)}/redeploy`, {});
    navigate(releaseHref(release.id));
  };
  return (
    <ActionButton
      label="Routine redeploy now…"
      dialog={(close) => (
        <ConfirmDialog
          title={`Run ${props.environment}'s routine deployment task now`}
          confirmLabel="Run it now"
          onClose={close}
          onConfirm={run}
          typeToConfirm={props.production ? props.environment : undefined}
        >
          <p>
            Runs task <strong class="mono">{routine.task}</strong> of the running release
            {running ? (
              <>
                {' '}
                <strong class="mono">{running.version}</strong>
              </>
            ) : (
              ''
            )}{' '}
            again now, instead of at {clock(routine.nextDueAt)}; the schedule counts from this run.
          </p>
        </ConfirmDialog>
      )}
    />
  );
}
