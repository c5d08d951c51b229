import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, ReleaseView } from '../api-types.js';
import { navigate, releaseHref } from '../router.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';

/** `status` is undefined until it has loaded. */
export function RollbackAction(props: {
  environment: string;
  status: EnvironmentStatus | undefined;
  production: boolean;
}) {
  const { status } = props;
  return (
    <ActionButton
      disabled={status === undefined}
      label="Roll back…"
      dialog={(close) =>
        status && (
          <RollbackDialog
            environment={props.environment}
            status={status}
            production={props.production}
            onClose={close}
          />
        )
      }
    />
  );
}

/** From what runs (ECS) to what ran before it, both as the API's status says: the rollback does exactly that. */
function RollbackDialog(props: {
  environment: string;
  status: EnvironmentStatus;
  production: boolean;
  onClose: () => void;
}) {
  const { running, rollbackTo } = props.status;
  const run = async () => {
    const body = props.production ? { confirm: props.environment } : {};
    const release = await api<ReleaseView>('POST', `${apiPath('environments', props.environment)}/rollback`, body);
    navigate(releaseHref(release.id));
  };
  return (
    <ConfirmDialog
      title={`Roll ${props.environment} back`}
      confirmLabel="Roll back"
      onClose={props.onClose}
      onConfirm={run}
      typeToConfirm={props.production ? props.environment : undefined}
    >
      <p class="from-to">
        <strong class="mono">{running?.version ?? '?'}</strong> →{' '}
        <strong class="mono">{rollbackTo?.version ?? '?'}</strong>
      </p>
      <p class="small muted">
        From the release running now to the completed release that ran before it: rolls that one out again with exactly
        its image digests, and marks the one running now rolled back.
        {rollbackTo ? '' : ' No earlier completed release ran here: the API will refuse.'}
      </p>
    </ConfirmDialog>
  );
}
