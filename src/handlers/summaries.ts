import type { Release } from '../domain/release.js';
import type { AutoDeployOutcome } from '../use-cases/auto-deploy-release.js';
import type { AutoscaleOutcome } from '../use-cases/autoscale-service.js';
import type { ChainOutcome } from '../use-cases/drive-autoscale-chain.js';

/**
 * What each function returns when invoked: a short, JSON-serialisable summary of what it did, so a
 * hand `aws lambda invoke` (and `ecs-conductor local`) shows it, and idempotency stores it for repeats.
 * Every summary names its `outcome`; an event that changed nothing says why.
 */

export interface IgnoredSummary {
  outcome: 'ignored';
  reason: string;
  [field: string]: unknown;
}

/** An event none of the conductor's business, with the fields that identify it. */
export function ignoredSummary(reason: string, fields: Record<string, unknown> = {}): IgnoredSummary {
  return { ...fields, outcome: 'ignored', reason };
}

/** `started`, `not due`, or `deferred: <why>`. */
export function autoDeploySummary(outcome: AutoDeployOutcome): string {
  if (outcome.kind === 'deferred') return `deferred: ${outcome.reason}`;
  return outcome.kind === 'started' ? 'started' : 'not due';
}

/** A release after an event moved it: its id, state and, when it failed, why. */
export function releaseSummary(release: Release) {
  return {
    releaseId: release.id,
    environment: release.environment,
    version: release.version,
    releaseState: release.state,
    ...(release.failure ? { failure: release.failure.reason } : {}),
  };
}

/** A release an auto-deploy looked at: as it stands after it, and what the auto-deploy did. */
export function autoDeployedSummary(release: Release, autoDeploy: AutoDeployOutcome) {
  const now = autoDeploy.kind === 'started' ? autoDeploy.release : release;
  return { ...releaseSummary(now), autoDeploy: autoDeploySummary(autoDeploy) };
}

/** A push's release: the builds it started, or (single image) whether it auto-deployed. */
export function pushSummary(release: Release, buildsStarted: string[], autoDeploy?: AutoDeployOutcome) {
  return { ...(autoDeploy ? autoDeployedSummary(release, autoDeploy) : releaseSummary(release)), buildsStarted };
}
export type PushSummary = ReturnType<typeof pushSummary>;

/** An event about a release's rollout: the release as it now stands, or why nothing moved. */
export function rolloutEventSummary(releaseId: string, release: Release | undefined, fields: Record<string, unknown>) {
  if (!release) return ignoredSummary(`release ${releaseId || '(none)'} is unknown to this conductor`, fields);
  return { outcome: 'recorded' as const, ...fields, ...releaseSummary(release) };
}

/** One service's autoscaling decision: desired from → to and why, or `no change`. */
export function scalingSummary(outcome: AutoscaleOutcome) {
  const { decision } = outcome;
  const action = !decision.change ? 'no change' : outcome.applied ? 'scaled' : 'decided by another invocation';
  return {
    environment: outcome.environment,
    service: outcome.service,
    queue: outcome.queue,
    desired: { from: outcome.counts.desired, to: decision.desiredCount },
    action,
    reason: decision.reason,
  };
}
export type ScalingSummary = ReturnType<typeof scalingSummary>;

/** An environment a pass could not handle, and why. */
export interface EnvironmentFailure {
  environment: string;
  error: string;
}
export const environmentFailure = (environment: string, error: unknown): EnvironmentFailure => ({
  environment,
  error: error instanceof Error ? error.message : String(error),
});

/** What one autoscale pass decided, service by service. */
export type PassDecisions = (ScalingSummary | EnvironmentFailure)[];

/** One trigger of the autoscaler: whether this invocation ran the pass, and its decisions if it did. */
export function chainSummary(trigger: string, { step, ran }: ChainOutcome, decisions: PassDecisions) {
  return {
    trigger,
    ran,
    action: step.action,
    ...(step.action === 'none' ? { reason: step.reason } : {}),
    decisions,
  };
}
