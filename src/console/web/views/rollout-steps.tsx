import type { Rollout } from '../../../domain/rollout-state.js';
import type { RolloutStep } from '../../../domain/rollout-state.js';
import { progressWord, serviceProgressDetail } from '../words.js';

/** `roll wsgi, indexer, ingester` / `run deployment` */
export const stepLabel = (step: RolloutStep) =>
  step.kind === 'task' ? `run task ${step.task}` : `roll services ${step.services.join(', ')}`;

/** Where a step stands: before the rollout's step done, at it running (or, once it ended, done or failed). */
function positionOf(index: number, rollout: Rollout | undefined, outcome: StepsOutcome): string {
  if (rollout === undefined) return 'planned';
  if (index < rollout.stepIndex || outcome === 'completed') return 'done';
  if (index > rollout.stepIndex) return 'planned';
  return outcome === 'live' ? 'current' : 'failed';
}

export type StepsOutcome = 'live' | 'completed' | 'failed';

/** The plan's steps in order; with a rollout, which are done, which runs now and how each part fares. */
export function RolloutSteps(props: { steps: RolloutStep[]; rollout?: Rollout; outcome?: StepsOutcome }) {
  const { steps, rollout } = props;
  return (
    <ol class="plan" aria-label="rollout steps">
      {steps.map((step, index) => {
        const position = positionOf(index, rollout, props.outcome ?? 'live');
        const parts =
          step.kind === 'task'
            ? [[step.task, rollout?.tasks[step.task]?.state, rollout?.tasks[step.task]?.reason] as const]
            : step.services.map(
                (service) =>
                  [
                    service,
                    rollout?.services[service]?.state,
                    serviceProgressDetail(rollout?.services[service]),
                  ] as const,
              );
        return (
          <li
            key={stepLabel(step)}
            class={`plan-step ${position}`}
            aria-current={position === 'current' ? 'step' : undefined}
          >
            <span class="step">{stepLabel(step)}</span>
            {position === 'current' && <span class="small"> ← now</span>}
            {rollout && (
              <span class="small muted">
                {' '}
                {parts
                  .filter(([, state]) => state !== undefined)
                  .map(
                    ([name, state, reason]) => `${name} ${progressWord(String(state))}${reason ? ` (${reason})` : ''}`,
                  )
                  .join(' · ')}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
