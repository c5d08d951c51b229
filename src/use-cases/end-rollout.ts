import { afterRerunFailure } from '../domain/auto-deploy.js';
import { markRolledBack, type Release } from '../domain/release.js';
import type { CurrentRelease, ReleasePorts } from './ports.js';
import type { NamedEnvironment } from '../domain/environment.js';

export type EndRolloutPorts = Pick<ReleasePorts, 'releases' | 'locks' | 'current' | 'notifier' | 'metrics' | 'now'>;

/** What is to follow the end of a rollout: nothing, or an automatic rollback from the failed release. */
export type AfterRollout = { kind: 'done' } | { kind: 'rollBack'; fromReleaseId: string };

async function recordCompleted(ports: EndRolloutPorts, release: Release): Promise<void> {
  const rollout = release.rollout;
  if (!rollout) return;
  const ranTask = rollout.steps.some((step) => step.kind === 'task');
  const previous = await ports.current.current(release.environment);
  const at = release.completedAt ?? ports.now().toISOString();
  // A run of the routine task ends any backoff of failed re-runs; a rollout without one keeps it.
  const retry = ranTask ? undefined : previous?.rerunRetry;
  await ports.current.setCurrent(release.environment, {
    releaseId: release.id,
    since: previous?.releaseId === release.id ? previous.since : at,
    // Without a run of the task, an unknown last run (null) stays unknown, and so due.
    deploymentTaskRunAt: ranTask || !previous ? at : previous.deploymentTaskRunAt,
    ...(retry ? { rerunRetry: retry } : {}),
  });
  if (rollout.rollingBackFrom) {
    await ports.releases.update(rollout.rollingBackFrom, (from) => markRolledBack(from, release.id, ports.now()));
  }
}

/**
 * A routine re-run failed or did not start: the next try waits one backoff step longer, and the
 * failure is published with when that is. Reconcile and the failed rollout's end both record it here.
 */
export async function recordRerunFailure(
  ports: Pick<ReleasePorts, 'current' | 'notifier' | 'now'>,
  release: Release,
  reason: string,
): Promise<CurrentRelease | undefined> {
  const current = await ports.current.current(release.environment);
  // A re-run of a release the environment no longer runs schedules nothing.
  if (current?.releaseId !== release.id) return undefined;
  // Recorded already for this rollout (its end was finished before a crash freed nothing): once only.
  const recordedAt = current.rerunRetry?.lastFailure.releaseId === release.id && current.rerunRetry.lastFailure.at;
  if (recordedAt && release.rollout && recordedAt >= release.rollout.stepStartedAt) return current;
  const next = afterRerunFailure(current, { reason, releaseId: release.id }, ports.now());
  await ports.current.setCurrent(release.environment, next);
  const retry = next.rerunRetry;
  await ports.notifier.notify(release, 'rerun-failed', {
    reason,
    failures: String(retry?.failures ?? 1),
    nextTryAt: retry?.nextTryAt ?? '',
  });
  return next;
}

/**
 * After the write that ended a rollout: record what it runs now, mark a rolled-back release, record a
 * failed re-run's backoff, notify, count a stuck step, and only then free the environment — so a crash
 * in between leaves the lock held and reconcile finishes this work (finishEndedRollout) instead of
 * starting the next rollout over missing bookkeeping. Then decide whether to roll back automatically.
 */
export async function endRollout(
  ports: EndRolloutPorts,
  target: NamedEnvironment,
  release: Release,
): Promise<AfterRollout> {
  const rollout = release.rollout;
  if (!rollout) return { kind: 'done' };
  const after = await recordEnd(ports, target, release);
  await ports.locks.unlock(release.environment, rollout.lockOwner);
  return after;
}

async function recordEnd(ports: EndRolloutPorts, { env }: NamedEnvironment, release: Release): Promise<AfterRollout> {
  const rollout = release.rollout;
  if (!rollout) return { kind: 'done' };
  if (release.state === 'COMPLETED') {
    await recordCompleted(ports, release);
    await ports.notifier.notify(release, 'completed');
    return { kind: 'done' };
  }
  if (release.failure?.kind === 'timeout') ports.metrics.stepTimedOut(release);
  const reason = release.failure?.reason ?? `release ${release.state}`;
  if (rollout.kind === 'rerun' && (await recordRerunFailure(ports, release, reason))) return { kind: 'done' };
  const alarm = release.failure?.alarm;
  await ports.notifier.notify(
    release,
    'failed',
    alarm ? { alarm: alarm.name, alarmChangedAt: alarm.changedAt, reason } : undefined,
  );
  // An alarm's failure rolls back whatever autoRollback says: watching alarms asks for exactly that.
  const automatic = env.rollout.autoRollback || release.failure?.kind === 'alarm';
  const rollsBack = release.state === 'FAILED' && automatic && rollout.kind === 'deploy';
  return rollsBack ? { kind: 'rollBack', fromReleaseId: release.id } : { kind: 'done' };
}
