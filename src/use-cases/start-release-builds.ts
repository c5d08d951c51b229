import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config/schema.js';
import { newRelease, recordBuildStarted, type Release } from '../domain/release.js';
import type { ReleaseStore } from '../aws/release-store.js';

/** What starting a release's builds needs from the outside world. */
export interface BuildPorts {
  releases: Pick<ReleaseStore, 'create' | 'get' | 'update' | 'claimBuild' | 'releaseBuildClaim' | 'indexBuild'>;
  startBuild: (request: {
    project: string;
    environmentVariables: Record<string, string>;
    idempotencyToken: string;
  }) => Promise<string>;
  /** The build environment variables of one entrypoint's build. */
  buildVariables: (entrypoint: string, release: Release) => Record<string, string>;
  now: () => Date;
  /** Who is starting builds (the invocation), for the per-build claim. */
  owner: string;
}

export interface BuildRequest {
  environment: string;
  version: string;
  sourceDigest: string;
  /** Entrypoints to build; all of the environment's by default. */
  entrypoints?: readonly string[];
  triggeredBy: string;
}

/** Long enough to cover one StartBuild call; a crashed claimer's builds are retried after it. */
const CLAIM_SECONDS = 120;

/** CodeBuild's idempotency token: the same digest and entrypoint always give the same token. */
export function buildIdempotencyToken(releaseId: string, entrypoint: string): string {
  return createHash('sha256').update(`${releaseId}/${entrypoint}`).digest('hex').slice(0, 32);
}

/**
 * Records the release (or finds it, for a redelivered trigger) and starts the build of every
 * entrypoint not started yet — one build per entrypoint, whatever the number of deliveries.
 * Returns the release as stored, the entrypoints this call started, and those still waiting for a
 * build because another invocation holds their claim.
 */
export async function startReleaseBuilds(
  ports: BuildPorts,
  env: EnvironmentConfig,
  request: BuildRequest,
): Promise<{ release: Release; started: string[]; waiting: string[] }> {
  const entrypoints = env.entrypoints.filter((e) => !request.entrypoints || request.entrypoints.includes(e.name));
  const imageTags = Object.fromEntries(entrypoints.map((e) => [e.name, `${request.version}${e.tagSuffix}`]));
  const candidate = newRelease({ ...request, imageTags }, ports.now());
  await ports.releases.create(candidate);
  const stored = await ports.releases.get(candidate.id);
  if (!stored) throw new Error(`release ${candidate.id} vanished after it was written`);

  const started: string[] = [];
  let release = stored.release;
  for (const [entrypoint, build] of Object.entries(release.builds)) {
    if (build.buildId || build.status !== 'PENDING') continue;
    if (!(await ports.releases.claimBuild(release.id, entrypoint, ports.owner, CLAIM_SECONDS, ports.now()))) continue;
    try {
      const buildId = await ports.startBuild({
        project: env.codebuild.project,
        environmentVariables: ports.buildVariables(entrypoint, release),
        idempotencyToken: buildIdempotencyToken(release.id, entrypoint),
      });
      await ports.releases.indexBuild(buildId, { releaseId: release.id, entrypoint });
      release =
        (await ports.releases.update(release.id, (current) =>
          current.builds[entrypoint]?.buildId ? current : recordBuildStarted(current, entrypoint, buildId, ports.now()),
        )) ?? release;
    } catch (error) {
      // A retry may start it at once: a start that got through is found again by its idempotency token
      // (CodeBuild keeps it 5 minutes), so giving the claim back never builds twice.
      await ports.releases.releaseBuildClaim(release.id, entrypoint, ports.owner).catch(() => undefined);
      throw error;
    }
    started.push(entrypoint);
  }
  // Builds another invocation claimed and has not started (yet): the caller retries, or reconcile does.
  const waiting = Object.entries(release.builds).flatMap(([name, build]) => (build.buildId ? [] : [name]));
  return { release, started, waiting };
}
