import type { NamedEnvironment } from '../config/lookup.js';
import { markRolledBack, type Release } from '../domain/release.js';
import type { ReleasePorts } from './ports.js';

export type EndRolloutPorts = Pick<ReleasePorts, 'releases' | 'locks' | 'current' | 'notifier' | 'metrics' | 'now'>;

/** What is to follow the end of a rollout: nothing, or an automatic rollback from the failed release. */
export type AfterRollout = { kind: 'done' } | { kind: 'rollBack'; fromReleaseId: string };

async function recordCompleted(ports: EndRolloutPorts, release: Release): Promise<void> {
  const rollout = release.rollout;
  if (!rollout) return;
  const ranTask = rollout.steps.some((step) => step.kind === 'task');
  const previous = await ports.current.current(release.environment);
  const at = release.completedAt ?? ports.now().toISOString();
  await ports.current.setCurrent(release.environment, {
    releaseId: release.id,
    since: previous?.releaseId === release.id ? previous.since : at,
    deploymentTaskRunAt: ranTask ? at : (previous?.deploymentTaskRunAt ?? at),
  });
  if (rollout.rollingBackFrom) {
    await ports.releases.update(rollout.rollingBackFrom, (from) => markRolledBack(from, release.id, ports.now()));
  }
}

/**
 * After the write that ended a rollout: free the environment, record what it runs now, mark a
 * rolled-back release, notify, count a stuck step, and decide whether to roll back automatically.
 */
export async function endRollout(
  ports: EndRolloutPorts,
  { env }: NamedEnvironment,
  release: Release,
): Promise<AfterRollout> {
  const rollout = release.rollout;
  if (!rollout) return { kind: 'done' };
  await ports.locks.unlock(release.environment, rollout.lockOwner);
  if (release.state === 'COMPLETED') {
    await recordCompleted(ports, release);
    await ports.notifier.notify(release, 'completed');
    return { kind: 'done' };
  }
  if (release.failure?.kind === 'timeout') ports.metrics.stepTimedOut(release);
  await ports.notifier.notify(release, 'failed');
  const rollsBack = release.state === 'FAILED' && env.rollout.autoRollback && rollout.kind === 'deploy';
  return rollsBack ? { kind: 'rollBack', fromReleaseId: release.id } : { kind: 'done' };
}
