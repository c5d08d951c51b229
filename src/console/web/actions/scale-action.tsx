import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import type { QueueStatus } from '../api-types.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';

/** Set a queue-driven service's count and hold it against the autoscaler for a while. */
export function ScaleAction(props: {
  environment: string;
  queue: QueueStatus;
  onDone: () => void;
  production: boolean;
}) {
  return (
    <ActionButton
      label="Scale…"
      title={`set ${props.queue.service}'s task count and hold it`}
      dialog={(close) => <ScaleDialog {...props} onClose={close} />}
    />
  );
}

function ScaleDialog(props: {
  environment: string;
  queue: QueueStatus;
  onDone: () => void;
  production: boolean;
  onClose: () => void;
}) {
  const { queue } = props;
  const [count, setCount] = useState(
    String(queue.hold?.desiredCount ?? queue.lastDecision?.desiredCount ?? queue.minTasks),
  );
  const [minutes, setMinutes] = useState('30');
  const run = async () => {
    await api('POST', `${apiPath('environments', props.environment, 'services', queue.service)}/scale`, {
      desiredCount: Number(count),
      holdMinutes: Number(minutes),
      ...(props.production ? { confirm: props.environment } : {}),
    });
    props.onDone();
  };
  return (
    <ConfirmDialog
      title={`Scale ${queue.service} in ${props.environment}`}
      confirmLabel={`Set ${count} and hold`}
      onClose={props.onClose}
      onConfirm={run}
      ready={/^\d+$/.test(count) && /^\d+$/.test(minutes)}
      typeToConfirm={props.production ? props.environment : undefined}
    >
      <p>
        Sets the desired task count now; the autoscaler leaves it alone until the hold ends, then follows the queue
        again.
      </p>
      <label>
        Tasks ({queue.minTasks}–{queue.maxTasks})
        <input
          name="desiredCount"
          type="number"
          autoFocus
          min={queue.minTasks}
          max={queue.maxTasks}
          value={count}
          onInput={(event) => {
            setCount(event.currentTarget.value);
          }}
        />
      </label>
      <label>
        Hold for (minutes)
        <input
          name="holdMinutes"
          type="number"
          min={1}
          max={1440}
          value={minutes}
          onInput={(event) => {
            setMinutes(event.currentTarget.value);
          }}
        />
      </label>
    </ConfirmDialog>
  );
}
