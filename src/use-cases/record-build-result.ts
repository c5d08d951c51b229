import {
  FAILED_BUILD_STATUSES,
  recordBuildOutcome,
  type BuildOutcome,
  type BuildStatus,
  type Release,
} from '../domain/release.js';
import type { ReleasePorts } from './ports.js';
import { ownEntry, type NamedEnvironment, type Environments } from '../domain/environment.js';

/** What recording a build's state needs from the outside world. */
export type BuildResultPorts = Pick<ReleasePorts, 'releases' | 'index' | 'builds' | 'images' | 'now'>;

export type BuildResultOutcome =
  | { kind: 'recorded'; release: Release; target: NamedEnvironment }
  | { kind: 'ignored'; reason: string };

/**
 * Records one build's state on its release: a success with the pushed image's digest (from ECR), a
 * failure with the failed phase and log link. Builds the conductor did not start are ignored.
 */
export async function recordBuildResult(
  ports: BuildResultPorts,
  environments: Environments,
  result: { buildId: string; status: BuildStatus },
): Promise<BuildResultOutcome> {
  const reference = await ports.index.findBuild(result.buildId);
  if (!reference) return { kind: 'ignored', reason: `build ${result.buildId} was not started by the conductor` };
  const stored = await ports.releases.get(reference.releaseId);
  const name = stored?.release.environment ?? '';
  const env = ownEntry(environments, name);
  const build = stored?.release.builds[reference.entrypoint];
  if (!stored || !env || !build)
    return { kind: 'ignored', reason: `release ${reference.releaseId} is unknown to this config` };

  const outcome: BuildOutcome = { status: result.status };
  if (result.status === 'SUCCEEDED') {
    outcome.digest = await ports.images.imageDigest(env.repository, build.imageTag);
    // ECR answers before the event arrives in practice; without a digest the release waits for reconcile.
    if (!outcome.digest) outcome.status = 'IN_PROGRESS';
  } else if (FAILED_BUILD_STATUSES.includes(result.status)) {
    const details = (await ports.builds.describeBuilds([result.buildId])).get(result.buildId);
    outcome.phase = details?.failedPhase;
    outcome.logLink = details?.logsDeepLink;
  }
  const release = await ports.releases.update(reference.releaseId, (current) =>
    recordBuildOutcome(current, reference.entrypoint, outcome, ports.now()),
  );
  return release
    ? { kind: 'recorded', release, target: { name, env } }
    : { kind: 'ignored', reason: `release ${reference.releaseId} disappeared` };
}
