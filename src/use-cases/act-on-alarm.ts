import { alarmsWatchedIn } from '../domain/alarm-watch.js';
import type { Environments } from '../domain/environment.js';
import { isRollingOut } from '../domain/release-states.js';
import { advanceRollout, type RolloutPorts } from './roll-out.js';
import { lockHolder } from './start-rollout.js';

/** A release an alarm's event re-checked, and the state it is in after. */
export interface AlarmActedOn {
  environment: string;
  releaseId: string;
  state: string | undefined;
}

/**
 * A watched alarm went to ALARM (CloudWatch's state-change event): the release deploying or baking with
 * that alarm watched is moved on now, through the same alarm watch as reconcile's tick — which reads the
 * alarm's state from CloudWatch itself, so the event only says when to look, never what to decide —
 * instead of up to a minute later. Idempotent: a release already failed, or an environment that already
 * rolls back (a rollback watches nothing), is left as it is.
 */
export async function actOnAlarm(
  ports: RolloutPorts,
  environments: Environments,
  alarmName: string,
): Promise<AlarmActedOn[]> {
  const acted: AlarmActedOn[] = [];
  for (const [name, env] of Object.entries(environments)) {
    if (!alarmsWatchedIn(env).includes(alarmName)) continue;
    const { release } = await lockHolder(ports, name);
    if (!release || !isRollingOut(release.state) || !release.rollout?.watch?.alarms.includes(alarmName)) continue;
    const after = await advanceRollout(ports, { name, env }, release.id);
    acted.push({ environment: name, releaseId: release.id, state: after?.state });
  }
  return acted;
}
