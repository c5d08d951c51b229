import type { EnvironmentStatus } from '../api-types.js';
import { ago, clock } from '../format.js';
import { releaseHref } from '../router.js';

type RoutineRedeploy = NonNullable<EnvironmentStatus['routineRedeploy']>;

/** `in 79d 23h (14 Feb 10:51)`, or `overdue since 3m (11:02:07)` once the time has passed. */
function due(at: string): string {
  const when = ago(at);
  return when.startsWith('in ')
    ? `${when} (${clock(at)})`
    : `overdue since ${when.replace(/ ago$/, '')} (${clock(at)})`;
}

/**
 * When the routine deployment task runs next, and a failing re-run in red with its reason. Absent
 * when the environment has no routine task (or the API predates the field).
 */
export function RoutineRedeployLine({ routine }: { routine: RoutineRedeploy | null | undefined }) {
  if (!routine) return null;
  const failure = routine.lastFailure;
  return (
    <div class="routine">
      <span class="label">next routine redeploy</span> {due(routine.nextDueAt)}
      {failure && (
        <div class="bad-text small" role="status">
          ✖ routine redeploy failed {routine.failuresInARow === 1 ? 'once' : `${routine.failuresInARow} times in a row`}{' '}
          ({ago(failure.at)}, <a href={releaseHref(failure.releaseId)}>release</a>): {failure.reason}
        </div>
      )}
    </div>
  );
}

/** A failing routine re-run turns the environment's card red, as a failed release does. */
export const routineFailing = (routine: RoutineRedeploy | null | undefined): boolean => Boolean(routine?.lastFailure);
