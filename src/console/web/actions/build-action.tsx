import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import type { BuildReply } from '../api-types.js';
import { navigate, releaseHref } from '../router.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';

/** Build a version: one CodeBuild build per entrypoint, as a push of its source image does. */
export function BuildAction(props: { environment: string; production: boolean }) {
  return <ActionButton label="Build…" dialog={(close) => <BuildDialog {...props} onClose={close} />} />;
}

function BuildDialog({
  environment,
  production,
  onClose,
}: {
  environment: string;
  production: boolean;
  onClose: () => void;
}) {
  const [version, setVersion] = useState('');
  const [entrypoints, setEntrypoints] = useState('');
  const only = entrypoints.split(/[\s,]+/).filter((name) => name !== '');
  const run = async () => {
    const reply = await api<BuildReply>('POST', `${apiPath('environments', environment)}/builds`, {
      version: version.trim(),
      ...(only.length > 0 ? { entrypoints: only } : {}),
    });
    navigate(releaseHref(reply.releaseId));
  };
  return (
    <ConfirmDialog
      title={`Build a version of ${environment}`}
      confirmLabel="Start the builds"
      onClose={onClose}
      onConfirm={run}
      ready={version.trim() !== ''}
      typeToConfirm={production ? environment : undefined}
    >
      <p>
        Starts one CodeBuild build per entrypoint from the source image tagged with this version in the environment's
        repository. Nothing is deployed unless the version matches the environment's auto-deploy pattern.
      </p>
      <label>
        Version (source image tag)
        <input
          name="version"
          autoFocus
          required
          placeholder="1.4.0"
          value={version}
          onInput={(event) => {
            setVersion(event.currentTarget.value);
          }}
        />
      </label>
      <label>
        Only these entrypoints (optional, comma-separated)
        <input
          name="entrypoints"
          placeholder="all"
          value={entrypoints}
          onInput={(event) => {
            setEntrypoints(event.currentTarget.value);
          }}
        />
      </label>
    </ConfirmDialog>
  );
}
