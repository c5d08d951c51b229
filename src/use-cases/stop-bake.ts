import { stopBake } from '../domain/alarm-watch.js';
import type { NamedEnvironment } from '../domain/environment.js';
import { endRollout, type EndRolloutPorts } from './end-rollout.js';
import { lockHolder } from './start-rollout.js';

/**
 * A rollback asked while a release bakes goes ahead: the bake ends (the release FAILED, kind `stopped`,
 * its notice sent) and the environment is freed for the rollback, which then rolls back from it. The
 * end's own automatic rollback is not started: the rollback asked for is that rollback.
 */
export async function stopBakeForRollback(ports: EndRolloutPorts, target: NamedEnvironment, by: string): Promise<void> {
  const { release: baking } = await lockHolder(ports, target.name);
  if (baking?.state !== 'BAKING') return;
  const outcome = { ended: false };
  const stopped = await ports.releases.update(baking.id, (latest) => {
    const next = stopBake(latest, by, ports.now());
    outcome.ended = latest.state === 'BAKING' && next.state !== 'BAKING';
    return next;
  });
  // Only the call whose write ended the bake finishes it (a tick that saw it first did nothing).
  if (stopped && outcome.ended) await endRollout(ports, target, stopped);
}
