import { api, apiPath } from '../api.js';
import type { ReleaseView } from '../api-types.js';
import { isProduction } from '../production.js';
import { navigate, releaseHref } from '../router.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';

/**
 * The rollback the API will make, as far as the history shows it: from the newest COMPLETED release
 * to the COMPLETED one before it. The API decides; its reply names the release it rolls out.
 */
export function rollbackPair(releases: ReleaseView[]): { from?: ReleaseView; to?: ReleaseView } {
  const completed = releases.filter((release) => release.state === 'COMPLETED');
  return { from: completed[0], to: completed[1] };
}

/** `releases` is undefined until the history has loaded. */
export function RollbackAction({
  environment,
  releases,
}: {
  environment: string;
  releases: ReleaseView[] | undefined;
}) {
  return (
    <ActionButton
      disabled={releases === undefined}
      label="Roll back…"
      dialog={(close) => <RollbackDialog environment={environment} releases={releases ?? []} onClose={close} />}
    />
  );
}

function RollbackDialog(props: { environment: string; releases: ReleaseView[]; onClose: () => void }) {
  const { from, to } = rollbackPair(props.releases);
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
        from <strong class="mono">{from?.version ?? '?'}</strong> to <strong class="mono">{to?.version ?? '?'}</strong>
      </p>
      <p class="small muted">
        Rolls out the previous completed release's image digests exactly and marks the newer release rolled back.
        {to ? '' : ' The history shown has no earlier completed release: the API will say if there is none.'}
      </p>
    </ConfirmDialog>
  );
}
