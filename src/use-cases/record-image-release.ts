import type { EnvironmentConfig } from '../config/schema.js';
import { buildsImages } from '../config/build-project.js';
import { newImageRelease, type Release } from '../domain/release.js';
import type { ReleasePorts } from './ports.js';
import { startReleaseBuilds, type BuildPorts, type BuildRequest } from './start-release-builds.js';

/** What recording a single-image release needs: the release store and the clock. */
export type ImageReleasePorts = Pick<ReleasePorts, 'releases' | 'now'>;

export interface ReleaseStart {
  release: Release;
  /** Entrypoints whose build this call started (never any for a single-image release). */
  started: string[];
  /** Entrypoints claimed by another invocation and not started yet. */
  waiting: string[];
}

/**
 * A single-image environment's push: the pushed image is the release, BUILT at once with every
 * entrypoint at the pushed digest. Created once: a redelivered push (same digest) finds it as stored.
 */
export async function recordImageRelease(
  ports: ImageReleasePorts,
  env: EnvironmentConfig,
  request: BuildRequest,
): Promise<ReleaseStart> {
  const entrypoints = env.entrypoints
    .map((entrypoint) => entrypoint.name)
    .filter((name) => !request.entrypoints || request.entrypoints.includes(name));
  const candidate = newImageRelease({ ...request, entrypoints }, ports.now());
  await ports.releases.create(candidate);
  const stored = await ports.releases.get(candidate.id);
  if (!stored) throw new Error(`release ${candidate.id} vanished after it was written`);
  return { release: stored.release, started: [], waiting: [] };
}

/**
 * What a push of a source tag (or the builds route) does in the environment's image shape: start a
 * build per entrypoint, or record the pushed image as the release.
 */
export function startRelease(ports: BuildPorts, env: EnvironmentConfig, request: BuildRequest): Promise<ReleaseStart> {
  return buildsImages(env) ? startReleaseBuilds(ports, env, request) : recordImageRelease(ports, env, request);
}
