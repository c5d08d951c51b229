import type { ConductorConfig } from '../config/schema.js';
import type { Release } from '../domain/release.js';
import type { ReleasePorts } from './ports.js';
import { NotDeployableError, startRollout, type StartRolloutPorts } from './start-rollout.js';

export type RollBackPorts = StartRolloutPorts & Pick<ReleasePorts, 'current'>;

/** How far back through an environment's history a rollback looks for a completed release. */
const MAX_PAGES = 10;

/** The newest COMPLETED release created before `from`: what the environment ran before it. */
export async function rollbackTarget(
  ports: Pick<RollBackPorts, 'releases'>,
  environment: string,
  from: Release,
): Promise<Release | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const listed = await ports.releases.listForEnvironment(environment, { limit: 25, ...(cursor ? { cursor } : {}) });
    const target = listed.releases.find(
      (release) => release.state === 'COMPLETED' && release.id !== from.id && release.createdAt < from.createdAt,
    );
    if (target) return target;
    if (!listed.cursor) return undefined;
    cursor = listed.cursor;
  }
  return undefined;
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
  const fromId = request.fromReleaseId ?? (await ports.current.current(request.environment))?.releaseId;
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
