import type { Release } from '../domain/release.js';
import { releaseThatRanBefore } from '../domain/rollback-target.js';
import type { ReleasePorts, ReleaseRepository } from './ports.js';
import { historyPages } from './release-history.js';
import { NotDeployableError, startRollout, type StartRolloutPorts } from './start-rollout.js';
import { readWhatRuns, type WhatRunsPorts } from './what-runs.js';
import type { NamedEnvironment } from '../domain/environment.js';

export type RollBackPorts = StartRolloutPorts & Pick<ReleasePorts, 'current'> & WhatRunsPorts;

/** How far back through an environment's history a rollback looks for a completed release. */
const WINDOW = { pageSize: 25, maxPages: 10 };

/** A rollback as started: the release rolling out again, and the one it replaces. */
export interface RollbackStarted {
  release: Release;
  from: Release;
}

/** The release that ran before `from` (domain/rollback-target.ts), searched through the whole window. */
export async function rollbackTarget(
  ports: { releases: Pick<ReleaseRepository, 'listForEnvironment'> },
  environment: string,
  from: Release,
): Promise<Release | undefined> {
  let best: Release | undefined;
  // Creation order says nothing about completion order: every page counts.
  for await (const page of historyPages(ports.releases, environment, WINDOW))
    best = releaseThatRanBefore(from, best ? [best, ...page] : page);
  return best;
}

async function runningRelease(ports: RollBackPorts, target: NamedEnvironment): Promise<Release | undefined> {
  const live = await readWhatRuns(ports, target);
  if (live.running || live.runs.services.every((service) => service.releaseId === null)) return live.running;
  const mixed = live.runs.services.map((service) => `${service.key} ${service.version ?? 'unknown'}`).join(', ');
  throw new NotDeployableError(
    `the services of ${target.name} run different releases (${mixed}): deploy one version to all of them`,
    'environment',
  );
}

/**
 * Rolls the environment back from a release (by default the one its services run, as ECS shows: after
 * a deploy whose services rolled and whose task then failed, that failed release) to the release that
 * ran before it, with exactly that release's image digests: never further back.
 */
export async function rollBack(
  ports: RollBackPorts,
  target: NamedEnvironment,
  request: { fromReleaseId?: string | undefined; triggeredBy: string; requestId: string },
): Promise<RollbackStarted> {
  const from =
    request.fromReleaseId === undefined
      ? await runningRelease(ports, target)
      : (await ports.releases.get(request.fromReleaseId))?.release;
  if (!from)
    throw new NotDeployableError(`environment ${target.name} runs no release the conductor rolled out`, 'environment');
  const to = await rollbackTarget(ports, target.name, from);
  if (!to) throw new NotDeployableError(`no release ran before ${from.version} to roll back to`, 'environment');
  const release = await startRollout(ports, target, {
    releaseId: to.id,
    kind: 'rollback',
    triggeredBy: request.triggeredBy,
    rollingBackFrom: from.id,
    requestId: request.requestId,
  });
  return { release, from };
}
