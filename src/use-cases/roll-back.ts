import type { ReleaseStore } from '../aws/release-store.js';
import type { ConductorConfig } from '../config/schema.js';
import type { Release } from '../domain/release.js';
import type { ReleaseRepository } from './ports.js';
import { findInHistory } from './release-history.js';
import { NotDeployableError, startRollout, type StartRolloutPorts } from './start-rollout.js';

export interface RollBackPorts extends StartRolloutPorts {
  releases: StartRolloutPorts['releases'] & Pick<ReleaseStore, 'current' | 'listForEnvironment'>;
}

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
  config: ConductorConfig,
  request: { environment: string; fromReleaseId?: string | undefined; triggeredBy: string; requestId: string },
): Promise<Release> {
  const fromId = request.fromReleaseId ?? (await ports.releases.current(request.environment))?.releaseId;
  const from = fromId === undefined ? undefined : (await ports.releases.get(fromId))?.release;
  if (!from)
    throw new NotDeployableError(
      `environment ${request.environment} runs no release the conductor rolled out`,
      'environment',
    );
  const target = await rollbackTarget(ports, request.environment, from);
  if (!target)
    throw new NotDeployableError(`no completed release before ${from.version} to roll back to`, 'environment');
  return startRollout(ports, config, {
    releaseId: target.id,
    kind: 'rollback',
    triggeredBy: request.triggeredBy,
    rollingBackFrom: from.id,
    requestId: request.requestId,
  });
}
