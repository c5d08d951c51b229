import { useState } from 'preact/hooks';
import { isRollingOut } from '../../../domain/release-states.js';
import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, ReleaseView } from '../api-types.js';
import { navigate, releaseHref } from '../router.js';
import { ABORT } from '../words.js';
import { ActionButton, ConfirmDialog, ReasonField } from './confirm-dialog.js';

type Moving = NonNullable<EnvironmentStatus['activeRelease']>;

/** Abort, while a release rolls out (its steps, its bake, or a wait at its pause); production asks for the name. */
export function AbortAction(props: {
  environment: string;
  status: EnvironmentStatus | undefined;
  production: boolean;
}) {
  const moving = props.status?.activeRelease;
  // A release at its pause waits for approval while it holds the environment: it may be aborted too.
  if (!moving || !(isRollingOut(moving.state) || moving.state === 'AWAITING_APPROVAL')) return null;
  return (
    <ActionButton
      label={ABORT.label}
      dialog={(close) => (
        <AbortDialog environment={props.environment} release={moving} production={props.production} onClose={close} />
      )}
    />
  );
}

function AbortDialog(props: { environment: string; release: Moving; production: boolean; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const run = async () => {
    const body = {
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(props.production ? { confirm: props.environment } : {}),
    };
    const release = await api<ReleaseView>('POST', `${apiPath('environments', props.environment)}/abort`, body);
    navigate(releaseHref(release.id));
  };
  return (
    <ConfirmDialog
      title={ABORT.title(props.release.version, props.environment)}
      confirmLabel={ABORT.confirm}
      onClose={props.onClose}
      onConfirm={run}
      typeToConfirm={props.production ? props.environment : undefined}
    >
      <p class="small muted">{ABORT.effect}</p>
      <ReasonField label={ABORT.reason} value={reason} onInput={setReason} />
    </ConfirmDialog>
  );
}
