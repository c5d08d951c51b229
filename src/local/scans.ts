import { ECRClient, paginateDescribeImages, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { SCAN_SEVERITIES, type Scanner, type ScanSeverity } from '../domain/gates.js';
import { emulatorClientConfig, LOCAL_ACCOUNT, LOCAL_REGION, LocalModeError } from './emulator.js';

/**
 * `local scan`: what ECR's scan on push would report for a version's images, set in the emulator.
 * moto scans nothing by itself; its API takes the result DescribeImageScanFindings should return for
 * an image (POST /moto-api/static/ecr/scan-finding-results), and StartImageScan marks the image scanned.
 * moto hands a result to an image once: set it before the conductor first reads that image's scan.
 * An enhanced (Inspector) scan reports ACTIVE, as ECR does for a registry Inspector scans.
 */

export type SeverityCounts = Partial<Record<ScanSeverity, number>>;

export interface ScannedImage {
  tag: string;
  digest: string;
}

/** The images of a version: its own tag (single-image) and its entrypoints' `<version>-<suffix>` tags. */
async function versionImages(ecr: ECRClient, repository: string, version: string): Promise<ScannedImage[]> {
  const images: ScannedImage[] = [];
  for await (const page of paginateDescribeImages({ client: ecr }, { repositoryName: repository })) {
    for (const image of page.imageDetails ?? []) {
      const tag = image.imageTags?.find((candidate) => candidate === version || candidate.startsWith(`${version}-`));
      if (tag && image.imageDigest) images.push({ tag, digest: image.imageDigest });
    }
  }
  return images;
}

/** The status ECR reports once each scanner has scanned an image (domain/gates.ts, SCAN_DONE). */
const SCANNED: Record<Scanner, string> = { basic: 'COMPLETE', enhanced: 'ACTIVE' };

function findingsResult(repository: string, digest: string, counts: SeverityCounts, scanner: Scanner) {
  const findingSeverityCounts = Object.fromEntries(SCAN_SEVERITIES.flatMap((s) => (counts[s] ? [[s, counts[s]]] : [])));
  return {
    registryId: LOCAL_ACCOUNT,
    repositoryName: repository,
    imageId: { imageDigest: digest },
    imageScanStatus: { status: SCANNED[scanner], description: 'set by ecs-conductor local scan' },
    imageScanFindings: {
      findingSeverityCounts,
      ...(scanner === 'enhanced' ? { enhancedFindings: [] } : { findings: [] }),
    },
  };
}

/** Sets the scan result of every image of `version` in the emulator's `repository`; returns the images. */
export async function setScanFindings(
  emulator: string,
  repository: string,
  version: string,
  counts: SeverityCounts,
  scanner: Scanner = 'basic',
  fetcher: typeof fetch = fetch,
): Promise<ScannedImage[]> {
  const ecr = new ECRClient(emulatorClientConfig(emulator));
  try {
    const images = await versionImages(ecr, repository, version);
    if (images.length === 0) throw new LocalModeError(`the emulator's ECR has no image of ${version} in ${repository}`);
    const results = images.map((image) => findingsResult(repository, image.digest, counts, scanner));
    const reply = await fetcher(new URL('/moto-api/static/ecr/scan-finding-results', emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ results, region: LOCAL_REGION }),
    });
    if (!reply.ok) throw new LocalModeError(`the emulator refused the scan results: HTTP ${reply.status}`);
    for (const image of images) {
      await ecr.send(new StartImageScanCommand({ repositoryName: repository, imageId: { imageDigest: image.digest } }));
    }
    return images;
  } finally {
    ecr.destroy();
  }
}
