import type { Observation } from '../domain/decide-rollout.js';
import type { Release } from '../domain/release.js';
import { rollbackStarted } from '../domain/rollout.js';
import { endRollout } from './end-rollout.js';
import type { ReleasePorts } from './ports.js';
import { progressRelease } from './progress-release.js';
import { rollBack, type RollbackStarted } from './roll-back.js';
import { startRollout, type RolloutRequest } from './start-rollout.js';
import { stopBakeForRollback } from './stop-bake.js';
import { ownEntry, type NamedEnvironment, type Environments } from '../domain/environment.js';

/** A rollout from its start to its end: every use case that moves one is given these. */
export type RolloutPorts = Pick<
  ReleasePorts,
  | 'releases'
  | 'locks'
  | 'current'
  | 'index'
  | 'claims'
  | 'services'
  | 'tasks'
  | 'images'
  | 'alarms'
  | 'notifier'
  | 'metrics'
  | 'now'
  | 'owner'
>;

/**
 * Moves a rollout as far as ECS allows now and, when this call ended it, finishes it: unlock,
 * record, notify, and the automatic rollback its end asks for. Events and reconcile call this.
 */
export async function advanceRollout(
  ports: RolloutPorts,
  target: NamedEnvironment,
  releaseId: string,
  given: Observation = {},
): Promise<Release | undefined> {
  const { release, endedNow, pausedNow } = await progressRelease(ports, target, releaseId, given);
  if (release && pausedNow)
    await ports.notifier.notify(release, 'awaiting-approval', {
      requestedBy: release.approval?.requestedBy ?? release.triggeredBy,
      expiresAt: release.approval?.expiresAt ?? '',
    });
  if (!release || !endedNow) return release;
  await finishRollout(ports, target, release);
  return release;
}

/**
 * Ends a rollout whose release has settled: its bookkeeping, then the automatic rollback it asks for.
 * Its holder calls this as it ends it; reconcile, when the holder crashed with the lock still held.
 */
export async function finishRollout(ports: RolloutPorts, target: NamedEnvironment, release: Release): Promise<void> {
  const after = await endRollout(ports, target, release);
  if (after.kind === 'rollBack') {
    const request = { ...after, triggeredBy: 'auto-rollback', requestId: `${ports.owner}-rollback` };
    const started = await rollBack(ports, target, request);
    // The failed release says where the environment went back to (status, watch and the console show it).
    await ports.releases.update(started.from.id, (from) => rollbackStarted(from, started.release, ports.now()));
    await ports.notifier.notify(started.from, 'rolling-back', {
      to: started.release.version,
      toReleaseId: started.release.id,
      reason: started.from.failure?.reason ?? `release ${started.from.state}`,
    });
    await advanceRollout(ports, target, started.release.id);
  }
}

/**
 * An event about a release (its task stopped, its deployment ended): the release's environment is
 * resolved once, from the release, and its rollout moved on.
 */
export async function advanceRolloutOf(
  ports: RolloutPorts,
  environments: Environments,
  releaseId: string,
  given: Observation = {},
): Promise<Release | undefined> {
  const stored = await ports.releases.get(releaseId);
  const name = stored?.release.environment ?? '';
  const env = ownEntry(environments, name);
  if (!stored || !env) return stored?.release;
  return advanceRollout(ports, { name, env }, releaseId, given);
}

/** Starts a rollout and takes it as far as ECS allows right now. */
export async function rollOut(
  ports: RolloutPorts,
  target: NamedEnvironment,
  request: RolloutRequest,
): Promise<Release> {
  const started = await startRollout(ports, target, request);
  return (await advanceRollout(ports, target, started.id)) ?? started;
}

/** Rolls an environment back to the release that ran before, and takes it as far as it goes. */
export async function rollBackEnvironment(
  ports: RolloutPorts,
  target: NamedEnvironment,
  request: { triggeredBy: string; requestId: string },
): Promise<RollbackStarted> {
  // A bake does not hold off an operator going back: it ends, and the rollback starts from its release.
  await stopBakeForRollback(ports, target, request.triggeredBy);
  const { release, from } = await rollBack(ports, target, request);
  return { release: (await advanceRollout(ports, target, release.id)) ?? release, from };
}
