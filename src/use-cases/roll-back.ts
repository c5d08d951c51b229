import type { NamedEnvironment } from '../config/lookup.js';
import type { Release } from '../domain/release.js';
import type { ReleasePorts, ReleaseRepository } from './ports.js';
import { findInHistory } from './release-history.js';
import { NotDeployableError, startRollout, type StartRolloutPorts } from './start-rollout.js';

export type RollBackPorts = StartRolloutPorts & Pick<ReleasePorts, 'current'>;

/** How far back through an environment's history a rollback looks for a completed release. */
const WINDOW = { pageSize: 25, maxPages: 10 };

/** The newest COMPLETED release created before `from`: what the environment ran before it. */
export function rollbackTarget(
  ports: { releases: Pick<ReleaseRepository, 'listForEnvironment'> },
  environment: string,
  from: Release,
): Promise<Release | undefined> {
  return findInHistory(
    ports.releases,
    environment,
    (release) => release.state === 'COMPLETED' && release.id !== from.id && release.createdAt < from.createdAt,
    WINDOW,
  );
}

/**
 * Rolls the environment back from a release (by default the one it runs) to the previous completed
 * release, with exactly that release's image digests.
 */
export async function rollBack(
  ports: RollBackPorts,
  target: NamedEnvironment,
  request: { fromReleaseId?: string | undefined; triggeredBy: string; requestId: string },
): Promise<Release> {
  const fromId = request.fromReleaseId ?? (await ports.current.current(target.name))?.releaseId;
  const from = fromId === undefined ? undefined : (await ports.releases.get(fromId))?.release;
  if (!from)
    throw new NotDeployableError(`environment ${target.name} runs no release the conductor rolled out`, 'environment');
  const to = await rollbackTarget(ports, target.name, from);
  if (!to) throw new NotDeployableError(`no completed release before ${from.version} to roll back to`, 'environment');
  return startRollout(ports, target, {
    releaseId: to.id,
    kind: 'rollback',
    triggeredBy: request.triggeredBy,
    rollingBackFrom: from.id,
    requestId: request.requestId,
  });
}
