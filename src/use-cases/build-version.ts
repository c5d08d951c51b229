import { decideImagePush } from '../domain/image-push.js';
import { repositoryName } from '../domain/names.js';
import type { Release } from '../domain/release.js';
import { NotBuildableError, UnknownEntrypointsError } from './errors.js';
import type { ImageRegistry } from './ports.js';
import { startRelease } from './record-image-release.js';
import type { BuildPorts } from './start-release-builds.js';
import type { NamedEnvironment, Environment } from '../domain/environment.js';

/** Builds start in the name of the invocation that asked (the ports' `owner`). */
export type BuildVersionPorts = BuildPorts & { images: Pick<ImageRegistry, 'imageDigest'> };

export interface BuildVersionRequest {
  version: string;
  entrypoints?: string[] | undefined;
  triggeredBy: string;
}

function checkEntrypoints(env: Environment, requested: string[] | undefined): void {
  const known = env.entrypoints.map((entrypoint) => entrypoint.name);
  const unknown = (requested ?? []).flatMap((name, index) => (known.includes(name) ? [] : [{ index, name }]));
  if (unknown.length > 0) throw new UnknownEntrypointsError(unknown, known);
}

/**
 * A build request: the same as a push of the version's source image. Held to the rules a push
 * follows, so a derived tag cannot start a build loop by hand.
 */
export async function buildVersion(
  ports: BuildVersionPorts,
  { name, env }: NamedEnvironment,
  request: BuildVersionRequest,
): Promise<{ release: Release; started: string[] }> {
  checkEntrypoints(env, request.entrypoints);
  const digest = await ports.images.imageDigest(env.repository, request.version);
  if (!digest) throw new NotBuildableError(`no image tagged "${request.version}" in repository ${env.repository}`);
  const [decision] = decideImagePush(
    { [name]: env },
    { action: 'PUSH', result: 'SUCCESS', repository: repositoryName(env.repository), digest, tag: request.version },
  );
  if (decision?.kind !== 'build') throw new NotBuildableError(decision?.reason ?? 'not a release version');
  const build = {
    environment: name,
    version: request.version,
    sourceDigest: digest,
    ...(request.entrypoints ? { entrypoints: request.entrypoints } : {}),
    triggeredBy: request.triggeredBy,
    // Asked for by hand: a version whose build failed is built again.
    retryFailed: true,
  };
  return startRelease(ports, env, build);
}
