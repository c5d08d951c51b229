import { recipeProblem } from '../domain/build-recipe.js';
import { createHash } from 'node:crypto';
import { buildVariables } from '../domain/build-variables.js';
import { buildFailed, newRelease, recordBuildStarted, type NewRelease, type Release } from '../domain/release.js';
import { NotBuildableError } from './errors.js';
import { CLAIM_LEASE_SECONDS, type ReleasePorts } from './ports.js';
import { buildsImages, type BuildingEnvironment, type Environment } from '../domain/environment.js';

/** What starting a release's builds needs from the outside world. */
export type BuildPorts = Pick<ReleasePorts, 'releases' | 'claims' | 'index' | 'builds' | 'now' | 'owner'>;

export interface BuildRequest {
  environment: string;
  version: string;
  sourceDigest: string;
  /** Entrypoints to build; all of the environment's by default. */
  entrypoints?: readonly string[];
  triggeredBy: string;
  /** Build again when the source image's last build failed (an API request; a push never does). */
  retryFailed?: boolean;
}

/** Builds of one source image tried at most this often. */
const MAX_ATTEMPTS = 20;

/** CodeBuild's idempotency token: the same digest and entrypoint always give the same token. */
export function buildIdempotencyToken(releaseId: string, entrypoint: string): string {
  return createHash('sha256').update(`${releaseId}/${entrypoint}`).digest('hex').slice(0, 32);
}

function variablesOf(env: BuildingEnvironment, entrypointName: string, release: Release): Record<string, string> {
  const entrypoint = env.entrypoints.find((candidate) => candidate.name === entrypointName);
  if (!entrypoint) throw new Error(`environment ${release.environment} has no entrypoint ${entrypointName}`);
  return buildVariables({ environment: env, entrypoint, version: release.version, aliasPrefix: env.imageAliasPrefix });
}

/** Starts one entrypoint's build under its claim; false when another invocation holds the claim. */
async function startBuild(ports: BuildPorts, env: BuildingEnvironment, release: Release, entrypoint: string) {
  if (!(await ports.claims.claim(release.id, entrypoint, ports.owner, CLAIM_LEASE_SECONDS, ports.now()))) return;
  try {
    const buildId = await ports.builds.startBuild({
      project: env.codebuild.project,
      environmentVariables: variablesOf(env, entrypoint, release),
      idempotencyToken: buildIdempotencyToken(release.id, entrypoint),
    });
    await ports.index.indexBuild(buildId, { releaseId: release.id, entrypoint });
    return await ports.releases.update(release.id, (current) =>
      current.builds[entrypoint]?.buildId ? current : recordBuildStarted(current, entrypoint, buildId, ports.now()),
    );
  } catch (error) {
    // A retry may start it at once: a start that got through is found again by its idempotency token
    // (CodeBuild keeps it 5 minutes), so giving the claim back never builds twice.
    await ports.claims.giveBack(release.id, entrypoint, ports.owner).catch(() => undefined);
    throw error;
  }
}

/** The release of this attempt as stored: written now, or found (a redelivered trigger). */
async function recordedRelease(ports: BuildPorts, input: Omit<NewRelease, 'attempt'>, attempt: number) {
  const candidate = newRelease({ ...input, attempt }, ports.now());
  await ports.releases.create(candidate);
  const stored = await ports.releases.get(candidate.id);
  if (!stored) throw new Error(`release ${candidate.id} vanished after it was written`);
  return stored.release;
}

/**
 * Records the release (or finds it, for a redelivered trigger) and starts the build of every
 * entrypoint not started yet — one build per entrypoint, whatever the number of deliveries.
 * Returns the release as stored, the entrypoints this call started, and those still waiting for a
 * build because another invocation holds their claim.
 */
export async function startReleaseBuilds(
  ports: BuildPorts,
  env: Environment,
  request: BuildRequest,
): Promise<{ release: Release; started: string[]; waiting: string[] }> {
  if (!buildsImages(env)) throw new Error(`environment ${request.environment} is single-image: it builds nothing`);
  // A project the stack made runs the recipe; one the config names is checked before anything is recorded.
  if (!env.codebuild.managed) {
    const problem = recipeProblem(await ports.builds.describeProject(env.codebuild.project), env.codebuild.project);
    if (problem) throw new NotBuildableError(problem);
  }
  const entrypoints = env.entrypoints.filter((e) => !request.entrypoints || request.entrypoints.includes(e.name));
  const imageTags = Object.fromEntries(entrypoints.map((e) => [e.name, `${request.version}${e.tagSuffix}`]));
  let release = await recordedRelease(ports, { ...request, imageTags }, 1);
  // Attempt n+1 exists once attempt n failed; creating it is idempotent like the first.
  while (request.retryFailed && buildFailed(release)) {
    const attempt = (release.buildAttempt ?? 1) + 1;
    if (attempt > MAX_ATTEMPTS) throw new NotBuildableError(`${request.version} failed to build ${MAX_ATTEMPTS} times`);
    release = await recordedRelease(ports, { ...request, imageTags }, attempt);
  }

  const started: string[] = [];
  for (const [entrypoint, build] of Object.entries(release.builds)) {
    if (build.buildId || build.status !== 'PENDING') continue;
    const updated = await startBuild(ports, env, release, entrypoint);
    if (updated === undefined) continue;
    release = updated;
    started.push(entrypoint);
  }
  // Builds another invocation claimed and has not started (yet): the caller retries, or reconcile does.
  const waiting = Object.entries(release.builds).flatMap(([name, build]) => (build.buildId ? [] : [name]));
  return { release, started, waiting };
}
