import { principalListed } from './principals.js';
import type { ReleaseState } from './release-states.js';

/**
 * Release gates: what must hold before a release rolls out in an environment, and how each is
 * judged from its evidence. Pure; the check-release-gates use case gathers the evidence and records.
 */

/** ECR's finding severities, lowest first (UNDEFINED is counted by ECR but never gates). */
export const SCAN_SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

export const GATE_NAMES = ['scan', 'promotion', 'approval'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/**
 * Who scans the registry's images: ECR's basic scanning (`ECR Image Scan` events, a scan ends COMPLETE)
 * or Amazon Inspector's enhanced scanning (`Inspector2 Scan` events, a scan ends ACTIVE while Inspector
 * keeps the findings current). ECR's DescribeImageScanFindings reports both, counts by severity alike.
 */
export const SCANNERS = ['basic', 'enhanced'] as const;
export type Scanner = (typeof SCANNERS)[number];

/** The scan statuses (ImageScanStatus.status) that mean the findings are there to judge, by scanner. */
export const SCAN_DONE: Record<Scanner, readonly string[]> = {
  basic: ['COMPLETE'],
  // ACTIVE: scanned, and kept up to date as new vulnerabilities are published; COMPLETE for a scan on push.
  enhanced: ['ACTIVE', 'COMPLETE'],
};

/** Refuse an image with findings at or above `failAt`; wait up to `waitSeconds` for a scan in progress. */
export interface ScanGate {
  failAt: ScanSeverity;
  waitSeconds: number;
  /** Declared, not guessed: which scanner's events and statuses the gate expects. */
  scanner: Scanner;
}

/**
 * Where a deploy waits for its approval: `before-rollout` (nothing moves until it is approved), or
 * `before-production-traffic` (the ECS-native services' deployments pause at POST_TEST_TRAFFIC_SHIFT,
 * the new revision serving the test listener, until approve → CONTINUE or reject/expiry → ROLLBACK).
 */
export const APPROVAL_POINTS = ['before-rollout', 'before-production-traffic'] as const;
export type ApprovalPoint = (typeof APPROVAL_POINTS)[number];

/** A deploy waits (AWAITING_APPROVAL) until a principal on `approve` approves or rejects it, or it expires. */
export interface ApprovalGate {
  /** `before-rollout` when absent. */
  at?: ApprovalPoint | undefined;
  approve: string[];
  /** The principal who asked for the deploy may not approve it. */
  fourEyes: boolean;
  expiresAfterMinutes: number;
}

export interface GateSettings {
  /**
   * CloudWatch alarms set as each service's ECS deployment alarms (ECS rolls the service back when one
   * goes to ALARM during its deployment), and watched by the conductor through a deploy and its bake
   * (domain/alarm-watch.ts); `{service}` in a name stands for the service's key.
   */
  alarms?: string[] | undefined;
  /**
   * Minutes the conductor keeps watching `alarms` after a deploy's last step before the release is
   * COMPLETED (BAKING meanwhile); DEFAULT_BAKE_MINUTES (domain/alarm-watch.ts) when unset.
   */
  bakeMinutes?: number | undefined;
  scan?: ScanGate | undefined;
  approval?: ApprovalGate | undefined;
  /** Only a release with the same digests that completed in this environment may roll out here. */
  promoteFrom?: string | undefined;
  /** Principal patterns that may pass a refusing gate with a reason. */
  override: string[];
}

export const NO_GATES: GateSettings = { override: [] };

/** The deployment alarms of one service: the environment's names with `{service}` filled in. */
export function serviceAlarmNames(gates: GateSettings | undefined, serviceKey: string): string[] {
  return (gates?.alarms ?? []).map((name) => name.replaceAll('{service}', serviceKey));
}

/** Statuses of an ECR image scan the gate reads (ImageScanStatus.status); anything else fails closed. */
export const SCAN_UNDER_WAY = ['IN_PROGRESS', 'PENDING'] as const;

/** One image's scan as ECR reports it: no scan at all is `status: undefined`. */
export interface ScanReport {
  status: string | undefined;
  /** Finding counts by severity; a severity with no finding may be absent. */
  counts: Partial<Record<string, number>>;
}

export interface GateVerdict {
  gate: GateName;
  passed: boolean;
  /** What the verdict rests on, in words an operator can check. */
  evidence: string;
}

/** What a gate reads of a release (domain/release.ts); structural, so the release model need not know gates. */
export interface GatedRelease {
  id: string;
  version: string;
  state: ReleaseState;
  completedAt?: string | undefined;
  /** When its bake ended with no alarm (domain/alarm-watch.ts); a release still BAKING is not COMPLETED. */
  bakedAt?: string | undefined;
  builds: Record<string, { digest?: string | undefined }>;
}

/** The image digests a release rolls out, by entrypoint. */
export function releaseDigests(release: Pick<GatedRelease, 'builds'>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(release.builds).flatMap(([entrypoint, build]) => (build.digest ? [[entrypoint, build.digest]] : [])),
  );
}

/** Finding counts as a person reads them: `CRITICAL 1, HIGH 2`, or `no findings`. */
export function countsText(counts: Partial<Record<string, number>>): string {
  const listed = SCAN_SEVERITIES.filter((severity) => (counts[severity] ?? 0) > 0);
  return listed.length === 0 ? 'no findings' : listed.map((severity) => `${severity} ${counts[severity]}`).join(', ');
}

/** Judges one image's scan: complete with nothing at or above the threshold passes; the rest refuses. */
export function judgeScan(gate: ScanGate, image: string, report: ScanReport): GateVerdict {
  if (report.status === undefined || !SCAN_DONE[gate.scanner].includes(report.status)) {
    const why =
      report.status === undefined
        ? 'has no scan'
        : SCAN_UNDER_WAY.includes(report.status as (typeof SCAN_UNDER_WAY)[number])
          ? `is still being scanned after ${gate.waitSeconds}s`
          : `scan status is ${report.status} (${gate.scanner} scanning)`;
    return { gate: 'scan', passed: false, evidence: `image ${image} ${why}` };
  }
  const threshold = SCAN_SEVERITIES.indexOf(gate.failAt);
  const blocking = SCAN_SEVERITIES.slice(threshold).filter((severity) => (report.counts[severity] ?? 0) > 0);
  const found = countsText(report.counts);
  return blocking.length > 0
    ? { gate: 'scan', passed: false, evidence: `image ${image} has findings at or above ${gate.failAt}: ${found}` }
    : { gate: 'scan', passed: true, evidence: `image ${image} scanned: ${found} (gate at ${gate.failAt})` };
}

const sameDigests = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length > 0 && keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/**
 * Passes when a release of the source environment with the same digests completed there: COMPLETED
 * comes only after the bake, when the source environment watches alarms (a BAKING release refuses).
 */
export function judgePromotion(
  from: string,
  release: Pick<GatedRelease, 'builds' | 'version'>,
  candidates: readonly Omit<GatedRelease, 'version'>[],
): GateVerdict {
  const digests = releaseDigests(release);
  const same = candidates.filter((candidate) => sameDigests(releaseDigests(candidate), digests));
  const completed = same.find((candidate) => candidate.state === 'COMPLETED');
  if (completed) {
    return {
      gate: 'promotion',
      passed: true,
      evidence: `release ${completed.id} with the same digests completed${completed.bakedAt ? ' and baked' : ''} in ${from} at ${completed.completedAt ?? 'an unrecorded time'}`,
    };
  }
  const seen = same.map((candidate) => `${candidate.id} is ${candidate.state}`).join('; ');
  return {
    gate: 'promotion',
    passed: false,
    evidence: seen
      ? `no release of ${release.version} with the same digests completed in ${from} (${seen})`
      : `version ${release.version} with these digests never ran in ${from}`,
  };
}

/** A request to pass refusing gates anyway, with the reason the operator gave. */
export interface GateOverride {
  principal: string;
  reason: string;
}

/** Whether the principal may override the environment's gates. */
export function mayOverride(gates: GateSettings, principal: string): boolean {
  return principalListed(gates.override, principal);
}

/** How a gate let a release through, as the rollout keeps it (status, watch and the console show it). */
export interface GatePass {
  gate: GateName;
  outcome: 'passed' | 'overridden';
  evidence: string;
  /** For an override: who passed the gate, and why. */
  override?: GateOverride;
}

/** The passes of a release's verdicts: each refusal overridden, or the first refusal when none may be. */
export function gatePasses(
  verdicts: readonly GateVerdict[],
  override: GateOverride | undefined,
): { passes: GatePass[]; refused?: GateVerdict } {
  const refused = verdicts.find((verdict) => !verdict.passed);
  if (refused && !override) return { passes: [], refused };
  const passes = verdicts.map(
    (verdict): GatePass =>
      verdict.passed
        ? { gate: verdict.gate, outcome: 'passed', evidence: verdict.evidence }
        : { gate: verdict.gate, outcome: 'overridden', evidence: verdict.evidence, ...(override ? { override } : {}) },
  );
  return { passes };
}

/** A pass as the release's timeline records it. */
export function gateTimelineEntry(pass: GatePass): { step: string; detail: string } {
  const by = pass.override ? `; overridden by ${pass.override.principal}: ${pass.override.reason}` : '';
  return { step: `gate ${pass.gate} ${pass.outcome}`, detail: `${pass.evidence}${by}` };
}

/** What a release waiting for approval remembers of the deploy asked for. */
export interface PendingApproval {
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  /** A deployment task other than the routine one, as the deploy asked. */
  task?: string | undefined;
  /** The other gates the release passed when the deploy was asked. */
  passes: GatePass[];
  /** The state to go back to on a rejection or expiry. */
  previousState: ReleaseState;
  /**
   * Set when the approval waits at an ECS PAUSE hook (`at: before-production-traffic`): the rollout
   * holds the environment and the answer goes to ECS (ContinueServiceDeployment).
   */
  pause?: PausedDeployment | undefined;
}

/** A native service deployment paused at its PAUSE lifecycle hook, awaiting ContinueServiceDeployment. */
export interface PausedDeployment {
  service: string;
  serviceDeploymentArn: string;
  hookId: string;
  /** What ECS does when the hook times out (ROLLBACK as the conductor registers it). */
  timeoutAction: string;
}

/** A deploy waits for its approval before anything rolls out (the gate's default place). */
export function approvesBeforeRollout(gates: GateSettings | undefined): boolean {
  return gates?.approval !== undefined && !approvesAtPause(gates);
}

/** The approval waits at the native deployments' pause rather than before the rollout. */
export function approvesAtPause(gates: GateSettings | undefined): boolean {
  return gates?.approval?.at === 'before-production-traffic';
}
