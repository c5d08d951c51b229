import { api, apiPath } from '../api.js';
import type { EnvironmentStatus, ReleaseView } from '../api-types.js';
import { isProduction } from '../production.js';
import { navigate, releaseHref } from '../router.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';
import { rollbackPair } from './rollback-pair.js';

/** `releases` and `status` are undefined until they have loaded. */
export function RollbackAction(props: {
  environment: string;
  releases: ReleaseView[] | undefined;
  status: EnvironmentStatus | undefined;
}) {
  const { releases, status } = props;
  return (
    <ActionButton
      disabled={releases === undefined || status === undefined}
      label="Roll back…"
      dialog={(close) => (
        <RollbackDialog
          environment={props.environment}
          pair={rollbackPair(status?.running, releases ?? [])}
          onClose={close}
        />
      )}
    />
  );
}

function RollbackDialog(props: { environment: string; pair: ReturnType<typeof rollbackPair>; onClose: () => void }) {
  const { fromVersion, to } = props.pair;
  const run = async () => {
    const release = await api<ReleaseView>('POST', `${apiPath('environments', props.environment)}/rollback`, {});
    navigate(releaseHref(release.id));
  };
  return (
    <ConfirmDialog
      title={`Roll ${props.environment} back`}
      confirmLabel="Roll back"
      onClose={props.onClose}
      onConfirm={run}
      typeToConfirm={isProduction(props.environment) ? props.environment : undefined}
    >
      <p class="from-to">
        <strong class="mono">{fromVersion ?? '?'}</strong> → <strong class="mono">{to?.version ?? '?'}</strong>
      </p>
      <p class="small muted">
        From the release running now to the completed release that ran before it: rolls that one out again with exactly
        its image digests, and marks the one running now rolled back.
        {to ? '' : ' The history shown names no earlier completed release: the API will say if there is none.'}
      </p>
    </ConfirmDialog>
  );
}
