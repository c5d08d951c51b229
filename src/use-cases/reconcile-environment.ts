import { deploymentRerunDue, shouldAutoDeploy } from '../domain/auto-deploy.js';
import { approvalExpired } from '../domain/approval.js';
import type { BuildStatus, Release } from '../domain/release.js';
import { holdsRollout } from '../domain/release-states.js';
import { expireApproval } from './approve-release.js';
import { autoDeployRelease } from './auto-deploy-release.js';
import { recordRerunFailure } from './end-rollout.js';
import { CLAIM_LEASE_SECONDS, type CurrentRelease, type ReleasePorts } from './ports.js';
import { recordBuildResult } from './record-build-result.js';
import { advanceRollout, finishRollout } from './roll-out.js';
import { startReleaseBuilds } from './start-release-builds.js';
import { NotDeployableError, startRollout } from './start-rollout.js';
import type { NamedEnvironment } from '../domain/environment.js';

/** Reconcile may do anything a release's use cases do. */
export type ReconcilePorts = ReleasePorts;

export interface ReconcileReport {
  environment: string;
  progressed?: { releaseId: string; state: string | undefined };
  freedLockOf?: string;
  buildsRecorded: string[];
  buildsResumed?: string[];
  started?: { releaseId: string; kind: string };
  /** Why a due automatic deploy did not start (a gate refused it, or the release was not deployable). */
  autoDeployDeferred?: string;
  /** Releases whose wait for approval expired and ended this tick. */
  approvalsExpired?: string[];
  /** Why a due routine re-run was not started, when nothing can be retried (no release to re-run). */
  rerunSkipped?: string;
}

const BUILD_STATUSES = new Set<string>(['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED']);
/** Past a build claim's lease: a build still without an id was abandoned by its starter. */
const ABANDONED_AFTER_MS = (CLAIM_LEASE_SECONDS + 30) * 1000;
/** Releases looked at per tick: active ones are always among the newest. */
const RECENT = 10;

/**
 * Moves the lock holder's rollout on, or tidies up after a holder that ended without doing so.
 * Returns whether a rollout is still going, and the environment's current release after it.
 */
async function settleLock(
  ports: ReconcilePorts,
  target: NamedEnvironment,
  report: ReconcileReport,
): Promise<{ busy: boolean; current: CurrentRelease | undefined }> {
  const environment = target.name;
  const { lock, current } = await ports.current.environmentState(environment);
  if (!lock) return { busy: false, current };
  const holder = (await ports.releases.get(lock.releaseId))?.release;
  // A live lock naming no release is adopt's (adopt-environment.ts) while it records: leave it be.
  if (!holder && lock.leaseExpiresAt * 1000 > ports.now().getTime()) return { busy: true, current };
  // A rollout's steps and its bake alike: each tick reads ECS and the watched alarms again.
  if (holder && holdsRollout(holder)) {
    const after = await advanceRollout(ports, target, holder.id);
    report.progressed = { releaseId: holder.id, state: after?.state };
    if (after && holdsRollout(after)) return { busy: true, current };
    // The rollout ended in this tick, and its end may have made its release the current one.
    return { busy: false, current: await ports.current.current(environment) };
  }
  if (holder?.rollout?.lockOwner === lock.owner) {
    // The rollout ended but its holder crashed before its end was recorded (the lock is freed last):
    // record it now — what runs, a re-run's backoff, the notice — and start the rollback it asks for.
    await finishRollout(ports, target, holder);
    report.freedLockOf = lock.releaseId;
    const after = await ports.current.environmentState(environment);
    return { busy: after.lock !== undefined, current: after.current };
  }
  // A lock no rollout of its release owns (its holder crashed before writing it): free it.
  await ports.locks.unlock(environment, lock.owner);
  report.freedLockOf = lock.releaseId;
  if (holder?.state !== 'COMPLETED' || current?.releaseId === holder.id) return { busy: false, current };
  const at = holder.completedAt ?? ports.now().toISOString();
  const completed = { releaseId: holder.id, since: at, deploymentTaskRunAt: at };
  await ports.current.setCurrent(environment, completed);
  return { busy: false, current: completed };
}

/** Starts the builds of a release that never started (their starter failed after claiming them). */
async function resumeBuilds(ports: ReconcilePorts, { env }: NamedEnvironment, release: Release): Promise<string[]> {
  const request = { ...release, entrypoints: Object.keys(release.builds) };
  return (await startReleaseBuilds(ports, env, request)).started;
}

/** Builds started and not yet recorded as ended, of releases still building or failed by another build. */
function unsettledBuilds(releases: Release[]): string[] {
  return releases
    .filter((release) => release.state === 'BUILDING' || release.failure?.kind === 'build')
    .flatMap((release) =>
      Object.values(release.builds).flatMap((build) =>
        build.buildId && !BUILD_STATUSES.has(build.status) ? [build.buildId] : [],
      ),
    );
}

async function settleBuilds(
  ports: ReconcilePorts,
  target: NamedEnvironment,
  recent: Release[],
  report: ReconcileReport,
): Promise<void> {
  for (const release of recent.filter((candidate) => candidate.state === 'BUILDING')) {
    const abandoned = Object.values(release.builds).some((build) => !build.buildId);
    if (abandoned && ports.now().getTime() - Date.parse(release.updatedAt) > ABANDONED_AFTER_MS) {
      report.buildsResumed = [...(report.buildsResumed ?? []), ...(await resumeBuilds(ports, target, release))];
    }
  }
  // A failed release's other builds run on in CodeBuild: they are recorded as they end, too.
  const pending = unsettledBuilds(recent);
  if (pending.length === 0) return;
  for (const [buildId, build] of await ports.builds.describeBuilds(pending)) {
    if (!BUILD_STATUSES.has(build.status)) continue;
    await recordBuildResult(ports, { [target.name]: target.env }, { buildId, status: build.status as BuildStatus });
    report.buildsRecorded.push(buildId);
  }
}

/**
 * Starts the routine re-run that is due. One that cannot start (the release lacks the task's image,
 * say) counts as a failed re-run: the next try waits its backoff step instead of the next tick.
 */
async function startRerun(
  ports: ReconcilePorts,
  target: NamedEnvironment,
  current: CurrentRelease,
  requestId: string,
): Promise<Release | undefined> {
  const request = { releaseId: current.releaseId, kind: 'rerun' as const, triggeredBy: 'schedule', requestId };
  let started: Release;
  try {
    started = await startRollout(ports, target, request);
  } catch (error) {
    const release = error instanceof NotDeployableError && (await ports.releases.get(current.releaseId))?.release;
    if (!release) throw error;
    await recordRerunFailure(ports, release, `the re-run did not start: ${error.message}`);
    return undefined;
  }
  return (await advanceRollout(ports, target, started.id)) ?? started;
}

/**
 * The level-triggered safety net for one environment, every minute: move the active rollout on from
 * ECS's real state (events are best effort), record builds whose events were lost, free a lock its
 * holder left, and start what is due (an auto-deploy, the periodic deployment re-run).
 */
export async function reconcileEnvironment(
  ports: ReconcilePorts,
  target: NamedEnvironment,
  requestId: string,
): Promise<ReconcileReport> {
  const { name: environment, env } = target;
  const report: ReconcileReport = { environment, buildsRecorded: [] };
  const { busy, current } = await settleLock(ports, target, report);
  const { releases: recent } = await ports.releases.listForEnvironment(environment, { limit: RECENT });
  await settleBuilds(ports, target, recent, report);
  for (const release of recent.filter((candidate) => approvalExpired(candidate, ports.now()))) {
    await expireApproval(ports, release);
    (report.approvalsExpired ??= []).push(release.id);
  }
  if (busy) return report;

  // The listing may lag; startRollout re-checks under the lock (firstRolloutOnly) before it deploys.
  const autoDeploy = recent.find((release) => shouldAutoDeploy(env, release));
  if (autoDeploy) {
    // Through the gates, as an automatic deploy from an event would go.
    const outcome = await autoDeployRelease(ports, target, autoDeploy, requestId);
    if (outcome.kind === 'started') report.started = { releaseId: outcome.release.id, kind: 'deploy' };
    if (outcome.kind === 'deferred') report.autoDeployDeferred = outcome.reason;
  } else if (current && deploymentRerunDue(env, current, ports.now())) {
    // A current-release row naming no release (deleted by hand, say) cannot be re-run or backed off:
    // say so in the report each tick rather than throw, so the environment's other work goes on.
    if (!(await ports.releases.get(current.releaseId))) {
      report.rerunSkipped = `the current release ${current.releaseId} does not exist: deploy or adopt to record one`;
      return report;
    }
    const started = await startRerun(ports, target, current, requestId);
    if (started) report.started = { releaseId: started.id, kind: 'rerun' };
  }
  return report;
}
