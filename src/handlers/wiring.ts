import { codebuild } from '../aws/codebuild.js';
import { ecr } from '../aws/ecr.js';
import { createReleaseStore } from '../aws/release-store.js';
import { createStateTable } from '../aws/state-table.js';
import { loadConductorConfig } from '../config/load.js';
import { loadRuntimeSettings } from '../config/runtime.js';
import type { EnvironmentConfig } from '../config/schema.js';
import { buildVariables } from '../domain/build-variables.js';
import type { BuildResultPorts } from '../use-cases/record-build-result.js';
import type { BuildPorts } from '../use-cases/start-release-builds.js';

/**
 * The composition root: config validated and clients created once per container (cold start),
 * shared by every invocation the container serves.
 */
export const config = loadConductorConfig();
export const settings = loadRuntimeSettings();
export const releases = createReleaseStore(createStateTable(settings.tableName));

/** Ports for starting an environment's release builds on behalf of one invocation. */
export function buildPorts(env: EnvironmentConfig, owner: string): BuildPorts {
  return {
    releases,
    startBuild: (request) => codebuild.startBuild(request),
    buildVariables: (entrypointName, release) => {
      const entrypoint = env.entrypoints.find((candidate) => candidate.name === entrypointName);
      if (!entrypoint) throw new Error(`environment ${release.environment} has no entrypoint ${entrypointName}`);
      return buildVariables({ environment: env, entrypoint, version: release.version, aliasPrefix: env.imageAliasPrefix });
    },
    now: () => new Date(),
    owner,
  };
}

/** Ports for recording build outcomes. */
export const buildResultPorts: BuildResultPorts = {
  releases,
  buildDetails: async (buildId) => {
    const [build] = await codebuild.batchGetBuilds([buildId]);
    const failed = build?.phases.find((phase) => phase.status !== undefined && phase.status !== 'SUCCEEDED');
    return { failedPhase: failed?.type, logsDeepLink: build?.logsDeepLink };
  },
  imageDigest: async (repository, tag) => (await ecr.describeImage(repository, tag))?.digest,
  now: () => new Date(),
};
