import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import type { ReleaseView } from '../api-types.js';
import { ago } from '../format.js';
import { navigate, releaseHref } from '../router.js';
import { useSession } from '../session-context.js';
import { Badge } from '../views/badge.js';
import { releaseSaid, shortDigest } from '../words.js';
import { RolloutSteps } from '../views/rollout-steps.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';
import { deployChoices } from './deploy-choices.js';
import { deployPlan } from './deploy-plan.js';

/** `releases` is undefined until the history has loaded; `runningId` names the release ECS runs. */
export function DeployAction(props: {
  environment: string;
  releases: ReleaseView[] | undefined;
  runningId: string | undefined;
  production: boolean;
}) {
  return (
    <ActionButton
      disabled={props.releases === undefined}
      label="Deploy…"
      dialog={(close) => (
        <DeployDialog
          environment={props.environment}
          releases={props.releases ?? []}
          runningId={props.runningId}
          production={props.production}
          onClose={close}
        />
      )}
    />
  );
}

/** Pick a built version, see the plan and the images it rolls out, then confirm. */
function DeployDialog(props: {
  environment: string;
  releases: ReleaseView[];
  runningId: string | undefined;
  production: boolean;
  onClose: () => void;
}) {
  const session = useSession();
  const deployable = deployChoices(props.releases);
  const [releaseId, setReleaseId] = useState<string | undefined>(undefined);
  const [task, setTask] = useState<string | undefined>(undefined);
  const [override, setOverride] = useState('');
  // The newest deployable release until one is chosen (the history may arrive after the dialog opens).
  const release = deployable.find((candidate) => candidate.id === releaseId) ?? deployable[0];
  const tasks = session.plans[props.environment]?.tasks ?? [];
  const destructive = tasks.some((candidate) => candidate.name === task && candidate.destructive);
  const plan = deployPlan(session, props.environment, task, props.releases);
  const mustType = destructive || props.production;
  const run = async () => {
    if (!release) return;
    const started = await api<ReleaseView>('POST', `${apiPath('environments', props.environment)}/deployments`, {
      version: release.version,
      ...(task === undefined ? {} : { task }),
      ...(mustType ? { confirm: props.environment } : {}),
      ...(override.trim() ? { override: { reason: override.trim() } } : {}),
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
              {candidate.version} — {releaseSaid(candidate).word}
              {candidate.id === props.runningId ? ', running now' : ''}, {ago(candidate.createdAt)}
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
      <GateOverride reason={override} onReason={setOverride} />
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
            Images of {release.version} <Badge said={releaseSaid(release)} />
          </h3>
          <ul class="small mono images">
            {Object.entries(release.builds).map(([entrypoint, build]) => (
              <li key={entrypoint}>
                {entrypoint}: {build.imageTag}{' '}
                <span class="muted">{build.digest ? shortDigest(build.digest) : '(not built)'}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </ConfirmDialog>
  );
}

/**
 * A reason to pass the environment's refusing release gates (scan, promotion, approval), for an
 * operator on its `override` list; the API refuses anyone else, and the override goes to the
 * release's timeline and notices.
 */
function GateOverride(props: { reason: string; onReason: (reason: string) => void }) {
  return (
    <details class="gate-override" open={props.reason !== ''}>
      <summary>Override refusing release gates…</summary>
      <label>
        <span>Reason (for the timeline and notices; only operators on the override list may)</span>
        <input
          name="override"
          value={props.reason}
          onInput={(event) => {
            props.onReason(event.currentTarget.value);
          }}
        />
      </label>
    </details>
  );
}
