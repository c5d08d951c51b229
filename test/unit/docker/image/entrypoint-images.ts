import { existsSync } from 'node:fs';
import { buildVariables } from '../../../../src/domain/build-variables.js';
import { makeDocker } from '../sandbox.js';
import type { Buildah } from './buildah.js';
import type { Environment } from '../../../../src/domain/environment.js';

/**
 * Builds every entrypoint image of `environment` at `version` on `baseImage` the way an operator
 * does by hand (docker/Makefile, buildah standing in for docker), with the build variables the
 * conductor passes CodeBuild: the config's app user and configure command. Returns image by entrypoint.
 */
export function buildEntrypointImages(
  buildah: Buildah,
  environment: Environment,
  version: string,
  baseImage: string,
): Record<string, string> {
  const images: Record<string, string> = {};
  for (const entrypoint of environment.entrypoints) {
    const variables = buildVariables({ environment, entrypoint, version });
    const result = makeDocker(
      'build',
      [
        `REPOSITORY=${environment.repository}`,
        `TAG=${version}`,
        `ENTRYPOINT=${variables.ENTRYPOINT}`,
        `DOCKER_ENTRYPOINT=${variables.DOCKER_ENTRYPOINT}`,
        `TAG_SUFFIX=${entrypoint.tagSuffix}`,
        `BASE_IMAGE=${baseImage}`,
        `APP_USER=${variables.APP_USER}`,
        `CONFIGURE_COMMAND=${variables.CONFIGURE_COMMAND}`,
        `DOCKER=${buildah.command.join(' ')}`,
      ],
      buildah.env(),
    );
    if (result.status !== 0) throw new Error(`building the ${entrypoint.name} image failed:\n${result.stderr}`);
    images[entrypoint.name] = `localhost/${environment.repository}:${variables.IMAGE_TAG}`;
  }
  return images;
}

/**
 * Removes the containers and images of earlier runs that died before cleaning up (named after their
 * process id, which no longer runs), so the cached storage does not grow.
 */
export function removeStaleRuns(buildah: Buildah): void {
  const dead = (name: string): boolean => {
    const pid = /(?:conductor-test-|:t)(\d+)-/.exec(name)?.[1];
    return pid !== undefined && !existsSync(`/proc/${pid}`);
  };
  const containers = buildah.run('containers', '--noheading', '--format', '{{.ContainerName}}').split('\n');
  const images = buildah.run('images', '--noheading', '--format', '{{.Name}}:{{.Tag}}').split('\n');
  for (const container of containers.filter(dead)) buildah.run('rm', container);
  const staleImages = images.filter(dead);
  if (staleImages.length > 0) buildah.run('rmi', '--force', ...staleImages);
}
