import { buildFailed, type Release } from '../domain/release.js';
import { isDeployable } from '../domain/release-states.js';
import { NoBuiltReleaseError, ReleaseStillBuildingError } from './errors.js';
import type { ReleaseRepository } from './ports.js';
import { historyPages } from './release-history.js';

/** Deploy requests name a version seen in the last 500 releases of the environment. */
const WINDOW = { pageSize: 50, maxPages: 10 };

/**
 * The release of `version` a deployment rolls out: the newest deployable one, page by page. A page
 * with only a build of it under way says it is still building (ReleaseStillBuildingError); none at
 * all, NoBuiltReleaseError.
 */
export async function findDeployableRelease(
  releases: Pick<ReleaseRepository, 'listForEnvironment'>,
  environment: string,
  version: string,
): Promise<Release> {
  let failed = false;
  for await (const page of historyPages(releases, environment, WINDOW)) {
    const ofVersion = page.filter((release) => release.version === version);
    const deployable = ofVersion.find(isDeployable);
    if (deployable) return deployable;
    if (ofVersion.some((release) => release.state === 'BUILDING')) throw new ReleaseStillBuildingError(version);
    failed ||= ofVersion.some(buildFailed);
  }
  throw new NoBuiltReleaseError(environment, version, failed);
}
