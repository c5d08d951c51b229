import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import type { ReleaseView } from '../api-types.js';
import { ago } from '../format.js';
import { isProduction } from '../production.js';
import { isDeployable, isMoving } from '../../../domain/release-states.js';
import { navigate, releaseHref } from '../router.js';
import { useSession } from '../session-context.js';
import { Badge } from '../views/badge.js';
import { RolloutSteps } from '../views/rollout-steps.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';
import { deployPlan } from './deploy-plan.js';

/** `releases` is undefined until the history has loaded. */
export function DeployAction({ environment, releases }: { environment: string; releases: ReleaseView[] | undefined }) {
  return (
    <ActionButton
      disabled={releases === undefined}
      label="Deploy…"
      dialog={(close) => <DeployDialog environment={environment} releases={releases ?? []} onClose={close} />}
    />
  );
}

/** Pick a built version, see the plan and the images it rolls out, then confirm. */
function DeployDialog(props: { environment: string; releases: ReleaseView[]; onClose: () => void }) {
  const session = useSession();
  // The API's own rule, less a release that is moving now (its rollout holds the environment).
  const deployable = props.releases.filter((release) => isDeployable(release) && !isMoving(release.state));
  const [releaseId, setReleaseId] = useState<string | undefined>(undefined);
  const [task, setTask] = useState<string | undefined>(undefined);
  // The newest deployable release until one is chosen (the history may arrive after the dialog opens).
  const release = deployable.find((candidate) => candidate.id === releaseId) ?? deployable[0];
  const tasks = session.plans[props.environment]?.tasks ?? [];
  const destructive = tasks.some((candidate) => candidate.name === task && candidate.destructive);
  const plan = deployPlan(session, props.environment, task, props.releases);
  const mustType = destructive || isProduction(props.environment);
  const run = async () => {
    if (!release) return;
    const started = await api<ReleaseView>('POST', `${apiPath('environments', props.environment)}/deployments`, {
      version: release.version,
      ...(task === undefined ? {} : { task }),
      ...(destructive ? { confirm: props.environment } : {}),
    });
    navigate(releaseHref(started.id));
  };
  return (
    <ConfirmDialog
      title={`Deploy to ${props.environment}`}
      confirmLabel={release ? `Deploy ${release.version}` : 'Deploy'}
      onClose={props.onClose}
      onConfirm={run}
      ready={release !== undefined}
      typeToConfirm={mustType ? props.environment : undefined}
    >
      {deployable.length === 0 && <p>No built release in the recent history: build a version first.</p>}
      <label>
        Version
        <select
          name="release"
          autoFocus
          value={release?.id ?? ''}
          onChange={(event) => {
            setReleaseId(event.currentTarget.value);
          }}
        >
          {deployable.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.version} — {candidate.state.toLowerCase()}, {ago(candidate.createdAt)}
            </option>
          ))}
        </select>
      </label>
      {tasks.length > 1 && (
        <label>
          Deployment task
          <select
            name="task"
            value={task ?? ''}
            onChange={(event) => {
              setTask(event.currentTarget.value === '' ? undefined : event.currentTarget.value);
            }}
          >
            <option value="">the routine one</option>
            {tasks.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.name}
                {candidate.destructive ? ' (destructive: wipes data)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {destructive && <p class="bad-text">This task is destructive: it wipes the environment's data.</p>}
      <h3>Plan {plan && <span class="muted small">{plan.source}</span>}</h3>
      {plan ? (
        <RolloutSteps steps={plan.steps} />
      ) : (
        <p class="muted small">
          The console knows no plan for this choice (start it with --config to show one); the release page shows the
          steps once the rollout starts.
        </p>
      )}
      {release && (
        <>
          <h3>
            Images of {release.version} <Badge state={release.state} />
          </h3>
          <ul class="small mono images">
            {Object.entries(release.builds).map(([entrypoint, build]) => (
              <li key={entrypoint}>
                {entrypoint}: {build.imageTag} {build.digest ? `@${build.digest.slice(0, 19)}…` : '(not built)'}
              </li>
            ))}
          </ul>
        </>
      )}
    </ConfirmDialog>
  );
}
