import type * as z from 'zod';
import type { rolloutViewSchema } from '../contract/api.js';
import { plain, type Mark } from './colour.js';
import { currentStep, failureLines, indent, table } from './render.js';
import { plural } from './words.js';

/** The reply of deploy, rollback and redeploy: the release, the steps its rollout takes in order, and how to follow it. */

type RolloutView = z.output<typeof rolloutViewSchema>;
type PlannedStep = RolloutView['plan'][number];

/** `sha256:0123456789ab`: enough of a digest to tell images apart. */
export function shortDigest(digest: string | undefined): string {
  return digest ? digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1') : '-';
}

function stepLine(step: PlannedStep, index: number): string {
  const names = step.targets.map((target) => target.name).join(', ');
  const after = step.waitsForPrevious ? `once step ${String(index)} completed, ` : '';
  const services =
    step.targets.length === 1 ? `service ${names}` : `${plural(step.targets.length, 'service')} together: ${names}`;
  const what = step.kind === 'task' ? `run task ${names}` : `update ${services}`;
  return `  ${String(index + 1)}. ${after}${what}\n`;
}

/** The plan, a numbered line per step and each service's or task's image under it. */
export function renderPlan(plan: PlannedStep[]): string {
  if (plan.length === 0) return 'plan: nothing to roll out\n';
  const steps = plan.map((step, index) => {
    const images = table(
      ['NAME', 'IMAGE', 'DIGEST'],
      step.targets.map((target) => [target.name, target.imageTag ?? target.entrypoint, shortDigest(target.digest)]),
    );
    return `${stepLine(step, index)}${indent(images, 7)}`;
  });
  return `plan (${plural(plan.length, 'step')}, in order)\n${steps.join('')}`;
}

export function renderRollout(view: RolloutView, invoked: string, mark: Mark = plain): string {
  const failed = failureLines(view);
  return [
    `release ${view.id}: ${view.environment} ${view.version} ${mark(view.state)} — ${currentStep(view)}\n`,
    renderPlan(view.plan),
    view.deploymentGate?.blind ? `${view.deploymentGate.reason ?? 'gate blind'}\n` : '',
    failed.length > 0 ? `${failed.join('\n')}\n` : '',
    `follow it: ${invoked} watch ${view.id}\n`,
  ].join('');
}
