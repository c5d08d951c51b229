import { principalListed } from './principals.js';
import { gateTimelineEntry, type ApprovalGate, type GatePass, type PendingApproval } from './gates.js';
import type { Release } from './release.js';

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

/** Whether a release's approval expired (reconcile ends those). */
export function approvalExpired(release: Release, now: Date): boolean {
  return (
    release.state === 'AWAITING_APPROVAL' &&
    release.approval !== undefined &&
    now.getTime() >= Date.parse(release.approval.expiresAt)
  );
}
