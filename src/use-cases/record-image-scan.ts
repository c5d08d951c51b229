import { countsText, releaseDigests } from '../domain/gates.js';
import { repositoryName } from '../domain/names.js';
import type { Release } from '../domain/release.js';
import { withTimeline } from '../domain/rollout.js';
import { autoDeployRelease, type AutoDeployOutcome } from './auto-deploy-release.js';
import { historyPages } from './release-history.js';
import type { RolloutPorts } from './roll-out.js';
import type { Environments } from '../domain/environment.js';

/** What a scanner's event says of one image: ECR's `ECR Image Scan` or Inspector's `Inspector2 Scan`. */
export interface ImageScan {
  repository: string;
  digest: string;
  /** COMPLETE, FAILED, … (ECR); INITIAL_SCAN_COMPLETE, … (Inspector) */
  status: string;
  counts: Partial<Record<string, number>>;
}

export interface ScanRecorded {
  releaseId: string;
  environment: string;
  autoDeploy: AutoDeployOutcome;
}

/** A scan completes within minutes of a push: the releases it concerns are among the environment's newest. */
const WINDOW = { pageSize: 25, maxPages: 1 };

/**
 * A scan finished: each release with that image, in environments with a scan gate, gets a timeline
 * line with the result, and one that auto-deploys tries again now (its scan gate may pass now) instead
 * of waiting for reconcile, which still covers a lost event.
 */
export async function recordImageScan(
  ports: RolloutPorts,
  environments: Environments,
  scan: ImageScan,
  requestId: string,
): Promise<ScanRecorded[]> {
  const recorded: ScanRecorded[] = [];
  for (const [name, env] of Object.entries(environments)) {
    if (!env.gates?.scan || repositoryName(env.repository) !== scan.repository) continue;
    for await (const page of historyPages(ports.releases, name, WINDOW)) {
      for (const release of page.filter((candidate) =>
        Object.values(releaseDigests(candidate)).includes(scan.digest),
      )) {
        const noted = await noteScan(ports, release, scan);
        if (!noted) continue;
        const autoDeploy = await autoDeployRelease(ports, { name, env }, noted, `${requestId}-${name}`);
        recorded.push({ releaseId: release.id, environment: name, autoDeploy });
      }
    }
  }
  return recorded;
}

/** The scan's line on the release, once (a redelivered event adds nothing). */
async function noteScan(ports: RolloutPorts, release: Release, scan: ImageScan): Promise<Release | undefined> {
  const step = `image scan ${scan.status}`;
  const detail = `${scan.repository}@${scan.digest}: ${countsText(scan.counts)}`;
  const at = ports.now().toISOString();
  return ports.releases.update(release.id, (latest) =>
    latest.timeline.some((entry) => entry.step === step && entry.detail === detail)
      ? latest
      : withTimeline(latest, [{ at, step, detail }]),
  );
}
