import type { DeployPlanView } from '../contract/api.js';
import { renderPlan, shortDigest } from './render-rollout.js';
import { printable } from './words.js';

/** `diff` and `deploy --dry-run`: what a deploy would change, each line within 100 columns. */

type Change = DeployPlanView['changes'][number];

const WIDTH = 100;

/** `repo@sha256:0123456789ab`: the repository's name and enough of the digest to tell images apart. */
function shortImage(image: string | null): string {
  if (image === null) return '(none)';
  const name = image.slice(image.lastIndexOf('/') + 1);
  const [repository = name, digest] = name.split('@');
  return digest === undefined ? name : `${repository}@${shortDigest(digest)}`;
}

function fitted(line: string): string {
  const safe = printable(line);
  return safe.length > WIDTH ? `${safe.slice(0, WIDTH - 1)}…` : safe;
}

/** How a setting compares with the container's now: `(as now)`, or what it was. */
function was(before: string | undefined, after: string): string {
  if (before === after) return ' (as now)';
  return before === undefined ? ' (not set now)' : ` (now ${before})`;
}

function changeLines(change: Change): string[] {
  const head = `${change.kind} ${change.name} (container ${change.container})`;
  const image =
    change.imageBefore !== change.imageAfter
      ? [`    image        ${shortImage(change.imageBefore)} → ${shortImage(change.imageAfter)}`]
      : [`    image        unchanged: ${shortImage(change.imageAfter)}`];
  const now = change.settingsBefore;
  const environment = Object.entries(change.settings.environment ?? {}).map(
    ([name, value]) => `    environment  ${name}=${value}${was(now.environment?.[name], value)}`,
  );
  const seconds = (value: number | undefined) => (value === undefined ? undefined : `${String(value)}s`);
  const after = seconds(change.settings.stopTimeout);
  const stop = after === undefined ? [] : [`    stopTimeout  ${after}${was(seconds(now.stopTimeout), after)}`];
  const from = change.taskDefinition === null ? ['    (ECS shows no task definition for it)'] : [];
  return [`  ${head}`, ...image, ...environment, ...stop, ...from];
}

export function renderDeployPlan(plan: DeployPlanView, invoked: string): string {
  const changed = plan.changes.filter((change) => change.changes).length;
  const lines = [
    `deploying ${plan.version} to ${plan.environment} (release ${plan.releaseId}) would change`,
    `${String(changed)} of ${String(plan.changes.length)} containers (image or settings):`,
    ...plan.changes.flatMap(changeLines),
    ...(plan.gates.length === 0 ? ['gates: none'] : ['gates:', ...plan.gates.map((gate) => `  ${gate}`)]),
  ];
  const follow = `nothing was written; to deploy: ${invoked} deploy ${plan.environment} ${plan.version}`;
  return `${[...lines.map(fitted), ...renderPlan(plan.steps).trimEnd().split('\n').map(fitted), fitted(follow)].join('\n')}\n`;
}
