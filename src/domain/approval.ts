import { principalListed } from './principals.js';
import {
  gateTimelineEntry,
  type ApprovalGate,
  type GatePass,
  type PausedDeployment,
  type PendingApproval,
} from './gates.js';
import type { Release } from './release.js';
import { withTimeline } from './rollout.js';

/**
 * The approval gate: a deploy whose other gates passed waits, AWAITING_APPROVAL, for a principal on
 * the environment's `approve` list; it rolls out on approval and goes back to where it was on a
 * rejection or once it expires. Pure state; the approve-release use case acts on it.
 */

export function awaitApproval(
  release: Release,
  gate: ApprovalGate,
  request: { requestedBy: string; task?: string | undefined; passes: GatePass[] },
  now: Date,
): Release {
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + gate.expiresAfterMinutes * 60_000).toISOString();
  const approval: PendingApproval = {
    requestedBy: request.requestedBy,
    requestedAt: at,
    expiresAt,
    ...(request.task === undefined ? {} : { task: request.task }),
    passes: request.passes,
    previousState: release.state === 'AWAITING_APPROVAL' ? (release.approval?.previousState ?? 'BUILT') : release.state,
  };
  const fourEyes = gate.fourEyes ? '; not by the asker (four eyes)' : '';
  return {
    ...release,
    state: 'AWAITING_APPROVAL',
    approval,
    updatedAt: at,
    timeline: [
      ...release.timeline,
      // An override is recorded when it is given, whatever the approver answers later.
      ...request.passes.filter((pass) => pass.override).map((pass) => ({ at, ...gateTimelineEntry(pass) })),
      {
        at,
        step: 'gate approval awaited',
        detail: `deploy asked by ${request.requestedBy}; expires at ${expiresAt}${fourEyes}`,
      },
    ],
  };
}

export type ApprovalRefusal = 'not-awaiting' | 'not-approver' | 'four-eyes' | 'expired';

/** Whether `principal` may answer the release's pending approval now, and why not. */
export function approvalRefusal(
  gate: ApprovalGate,
  release: Release,
  principal: string,
  now: Date,
): ApprovalRefusal | undefined {
  const pending = release.approval;
  if (release.state !== 'AWAITING_APPROVAL' || !pending) return 'not-awaiting';
  if (now.getTime() >= Date.parse(pending.expiresAt)) return 'expired';
  if (!principalListed(gate.approve, principal)) return 'not-approver';
  if (gate.fourEyes && principal === pending.requestedBy) return 'four-eyes';
  return undefined;
}

/** The approval as a gate pass the rollout records. */
export function approvalPass(pending: PendingApproval, principal: string, now: Date, reason?: string): GatePass {
  const why = reason ? `: ${reason}` : '';
  return {
    gate: 'approval',
    outcome: 'passed',
    evidence: `approved by ${principal} at ${now.toISOString()} (asked by ${pending.requestedBy}${why})`,
  };
}

/** A pending approval ended without a rollout: rejected by a principal, or expired. */
export function endApproval(
  release: Release,
  ending: { kind: 'rejected'; by: string; reason?: string | undefined } | { kind: 'expired' },
  now: Date,
): Release {
  const at = now.toISOString();
  const { approval, ...rest } = release;
  const detail =
    ending.kind === 'rejected'
      ? `rejected by ${ending.by}${ending.reason ? `: ${ending.reason}` : ''}`
      : `expired at ${approval?.expiresAt ?? at} with no answer`;
  return {
    ...rest,
    state: approval?.previousState ?? 'BUILT',
    updatedAt: at,
    timeline: [...release.timeline, { at, step: `gate approval ${ending.kind}`, detail }],
  };
}

/**
 * Whether a release's approval expired (reconcile ends those). A wait at an ECS pause never expires
 * here: ECS takes the hook's timeout action, and the rollout reads what it did.
 */
export function approvalExpired(release: Release, now: Date): boolean {
  return (
    release.state === 'AWAITING_APPROVAL' &&
    release.approval !== undefined &&
    release.approval.pause === undefined &&
    now.getTime() >= Date.parse(release.approval.expiresAt)
  );
}

/**
 * A rolling-out release whose native deployment reached its PAUSE hook: it waits, AWAITING_APPROVAL,
 * still holding the environment, with the deployment and hook an answer goes to. The approver sees
 * the new revision serving the test listener; production traffic has not moved.
 */
export function awaitApprovalAtPause(
  release: Release,
  gate: ApprovalGate,
  pause: PausedDeployment,
  ecsExpiresAt: string | undefined,
  now: Date,
): Release {
  const at = now.toISOString();
  const expiresAt = ecsExpiresAt ?? new Date(now.getTime() + gate.expiresAfterMinutes * 60_000).toISOString();
  const requestedBy = release.rollout?.triggeredBy ?? release.triggeredBy;
  const fourEyes = gate.fourEyes ? '; not by the asker (four eyes)' : '';
  return {
    ...withTimeline(release, [
      {
        at,
        step: 'gate approval awaited',
        detail: `service ${pause.service} paused before production traffic, the new revision on the test listener; deploy asked by ${requestedBy}; expires at ${expiresAt}, then ECS takes its timeout action ${pause.timeoutAction}${fourEyes}`,
      },
    ]),
    state: 'AWAITING_APPROVAL',
    approval: { requestedBy, requestedAt: at, expiresAt, passes: [], previousState: 'DEPLOYING', pause },
  };
}

/** The release with its wait for approval over (answered, expired or aborted). */
export function withoutApproval(release: Release): Release {
  const rest = { ...release };
  delete rest.approval;
  return rest;
}

/** What an answer to a pause asks ECS for. */
export type PauseAction = 'CONTINUE' | 'ROLLBACK';

/**
 * The answer to a paused deployment was given to ECS (ContinueServiceDeployment): the rollout goes
 * on (DEPLOYING) and reads what ECS does next; the answer is kept on the service, so that the same
 * pause read again before ECS moves on is not awaited twice, and an approval is one of its gates.
 */
export function pauseAnswered(
  release: Release,
  answer: { action: PauseAction; by: string; reason?: string | undefined },
  now: Date,
): Release {
  const pending = release.approval;
  const pause = pending?.pause;
  const rollout = release.rollout;
  if (release.state !== 'AWAITING_APPROVAL' || !pending || !pause || !rollout) return release;
  const approved = answer.action === 'CONTINUE';
  const pass = approved ? [approvalPass(pending, answer.by, now, answer.reason)] : [];
  const progress = rollout.services[pause.service] ?? { state: 'UPDATING' as const };
  const why = answer.reason ? `: ${answer.reason}` : '';
  const entry = approved
    ? gateTimelineEntry(pass[0] as GatePass)
    : {
        step: 'gate approval rejected',
        detail: `rejected by ${answer.by}${why}; ECS rolls ${pause.service} back (ContinueServiceDeployment ROLLBACK)`,
      };
  const rest = withoutApproval(release);
  return {
    ...withTimeline(rest, [{ at: now.toISOString(), ...entry }]),
    state: 'DEPLOYING',
    rollout: {
      ...rollout,
      services: {
        ...rollout.services,
        [pause.service]: { ...progress, pauseAnswer: { hookId: pause.hookId, action: answer.action, by: answer.by } },
      },
      ...(approved ? { gates: [...(rollout.gates ?? []), ...pass] } : {}),
    },
  };
}
