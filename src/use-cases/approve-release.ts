import {
  approvalExpired,
  approvalPass,
  approvalRefusal,
  awaitApproval,
  endApproval,
  pauseAnswered,
  type PauseAction,
} from '../domain/approval.js';
import type { GatePass } from '../domain/gates.js';
import type { Release } from '../domain/release.js';
import { isRollingOut } from '../domain/release-states.js';
import { ApprovalRefusedError } from './errors.js';
import { refuseMissingAlarms } from './check-release-gates.js';
import { findDeployableRelease } from './find-deployable-release.js';
import { advanceRollout, rollOut, type RolloutPorts } from './roll-out.js';
import { NotDeployableError, notifyOverrides } from './start-rollout.js';
import type { NamedEnvironment } from '../domain/environment.js';

/** A deploy the approval gate holds: the release waits, AWAITING_APPROVAL, and its notice goes out. */
export async function requestApproval(
  ports: Pick<RolloutPorts, 'releases' | 'notifier' | 'now'>,
  { name, env }: NamedEnvironment,
  release: Release,
  request: { requestedBy: string; task?: string | undefined; passes: GatePass[] },
): Promise<Release> {
  const gate = env.gates?.approval;
  if (!gate) throw new Error(`environment ${name} has no approval gate`);
  const waiting = await ports.releases.update(release.id, (latest) => {
    if (isRollingOut(latest.state)) throw new NotDeployableError(`release ${latest.id} is rolling out`, 'version');
    return awaitApproval(latest, gate, request, ports.now());
  });
  if (!waiting) throw new NotDeployableError(`release ${release.id} disappeared`, 'version');
  await notifyOverrides(ports, waiting, request.passes);
  await ports.notifier.notify(waiting, 'awaiting-approval', {
    requestedBy: request.requestedBy,
    expiresAt: waiting.approval?.expiresAt ?? '',
  });
  return waiting;
}

export interface ApprovalAnswer {
  version: string;
  principal: string;
  reason?: string | undefined;
  requestId: string;
}

/** The version's release waiting for approval, with the refusal (if any) of `principal` answering it now. */
async function pendingRelease(
  ports: Pick<RolloutPorts, 'releases' | 'now'>,
  target: NamedEnvironment,
  answer: ApprovalAnswer,
) {
  const gate = target.env.gates?.approval;
  const release = await findDeployableRelease(ports.releases, target.name, answer.version);
  const refusal = gate ? approvalRefusal(gate, release, answer.principal, ports.now()) : 'not-awaiting';
  return { release, refusal };
}

/** An expired wait ends as it is found (rejected by time), then the refusal is thrown. */
async function refuse(
  ports: Pick<RolloutPorts, 'releases' | 'now'>,
  target: NamedEnvironment,
  release: Release,
  refusal: NonNullable<Awaited<ReturnType<typeof pendingRelease>>['refusal']>,
  answer: ApprovalAnswer,
): Promise<never> {
  if (refusal === 'expired') await expireApproval(ports, release);
  throw new ApprovalRefusedError(target.name, answer.version, refusal, answer.principal);
}

/** An approver approves: the deploy asked for rolls out, its gates (approval included) recorded. */
export async function approveRelease(
  ports: RolloutPorts,
  target: NamedEnvironment,
  answer: ApprovalAnswer,
): Promise<Release> {
  const { release, refusal } = await pendingRelease(ports, target, answer);
  if (refusal) return refuse(ports, target, release, refusal, answer);
  const pending = release.approval;
  if (!pending) return refuse(ports, target, release, 'not-awaiting', answer);
  if (pending.pause) return answerPause(ports, target, release, answer, 'CONTINUE');
  // The alarms may have gone while the deploy waited: the watch must not start blind.
  await refuseMissingAlarms(ports, target);
  return rollOut(ports, target, {
    releaseId: release.id,
    kind: 'deploy',
    task: pending.task,
    triggeredBy: pending.requestedBy,
    requestId: answer.requestId,
    gates: [...pending.passes, approvalPass(pending, answer.principal, ports.now(), answer.reason)],
  });
}

/** An approver rejects: the release goes back to the state it had, nothing rolls out. */
export async function rejectRelease(
  ports: RolloutPorts,
  target: NamedEnvironment,
  answer: ApprovalAnswer,
): Promise<Release> {
  const { release, refusal } = await pendingRelease(ports, target, answer);
  // Four eyes guard approvals only: the asker may withdraw the deploy they asked for.
  if (refusal && refusal !== 'four-eyes') return refuse(ports, target, release, refusal, answer);
  if (release.approval?.pause) {
    const answered = await answerPause(ports, target, release, answer, 'ROLLBACK');
    await ports.notifier.notify(answered, 'approval-rejected', {
      principal: answer.principal,
      ...(answer.reason ? { reason: answer.reason } : {}),
    });
    return answered;
  }
  const rejected = await ports.releases.update(release.id, (latest) =>
    latest.state === 'AWAITING_APPROVAL'
      ? endApproval(latest, { kind: 'rejected', by: answer.principal, reason: answer.reason }, ports.now())
      : latest,
  );
  if (!rejected) throw new NotDeployableError(`release ${release.id} disappeared`, 'version');
  await ports.notifier.notify(rejected, 'approval-rejected', {
    principal: answer.principal,
    ...(answer.reason ? { reason: answer.reason } : {}),
  });
  return rejected;
}

/**
 * An answer to a deployment paused at its PAUSE hook goes to ECS (ContinueServiceDeployment: CONTINUE
 * to production traffic, ROLLBACK back to what ran before), then the release records it and its
 * rollout moves on as ECS says. A release answered meanwhile by someone else is left as that answer made it.
 */
async function answerPause(
  ports: RolloutPorts,
  target: NamedEnvironment,
  release: Release,
  answer: ApprovalAnswer,
  action: PauseAction,
): Promise<Release> {
  const pause = release.approval?.pause;
  if (!pause) return release;
  await ports.services.continueServiceDeployment(pause.serviceDeploymentArn, pause.hookId, action);
  const answered = await ports.releases.update(release.id, (latest) =>
    latest.approval?.pause?.hookId === pause.hookId
      ? pauseAnswered(latest, { action, by: answer.principal, reason: answer.reason }, ports.now())
      : latest,
  );
  if (!answered) throw new NotDeployableError(`release ${release.id} disappeared`, 'version');
  return (await advanceRollout(ports, target, release.id)) ?? answered;
}

/** Ends a wait that expired (an answer found it so, or reconcile did); a release no longer waiting is left alone. */
export async function expireApproval(ports: Pick<RolloutPorts, 'releases' | 'now'>, release: Release): Promise<void> {
  await ports.releases.update(release.id, (latest) =>
    approvalExpired(latest, ports.now()) ? endApproval(latest, { kind: 'expired' }, ports.now()) : latest,
  );
}
