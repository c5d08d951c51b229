import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
  ScanNotFoundException,
} from '@aws-sdk/client-ecr';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCAN_UNDER_WAY, type ScanReport } from '../domain/gates.js';
import { clientConfig } from './client-config.js';
import { callAws } from './errors.js';

export interface RepositoryInfo {
  name: string;
  arn: string;
  /** `ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`, as ECR reports it. */
  uri: string;
  registryId: string;
}

export interface ImageInfo {
  /** `sha256:` followed by 64 hex digits. */
  digest: string;
  tags: string[];
  pushedAt?: Date;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** How often a scan under way is read again (ECR's own waiter starts at 5 s). */
const SCAN_POLL_MS = 5000;
const REPOSITORY_ARN = /^arn:aws[a-z-]*:ecr:[^:]*:(\d{12}):repository\/(.+)$/;

// Marked pure so that a bundle whose handler never uses this adapter leaves out the client and its SDK
// package; a handler that uses it still creates the client once, at module scope.
const defaultEcrClient = /* @__PURE__ */ new ECRClient(clientConfig);

/** ECR look-ups the conductor needs, in domain shapes; failures other than "not found" are AwsCallErrors. */
export function createEcrAdapter(
  client: ECRClient = defaultEcrClient,
  pause: (ms: number) => Promise<unknown> = (ms) => sleep(ms),
) {
  /** Describes a repository (name or ARN), or returns undefined when it does not exist. */
  async function describeRepository(nameOrArn: string): Promise<RepositoryInfo | undefined> {
    const { repositoryName, registryId } = parseRepository(nameOrArn);
    const response = await callAws('ecr:DescribeRepositories', `repository ${nameOrArn}`, () =>
      client
        .send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName], registryId }))
        .catch(absentOn(RepositoryNotFoundException)),
    );
    const repository = response?.repositories?.[0];
    return (
      repository && {
        name: repository.repositoryName ?? '',
        arn: repository.repositoryArn ?? '',
        uri: repository.repositoryUri ?? '',
        registryId: repository.registryId ?? '',
      }
    );
  }

  /** Finds the image a tag points at in a repository (name or ARN), or returns undefined when there is none. */
  async function describeImage(repository: string, tag: string): Promise<ImageInfo | undefined> {
    const { repositoryName, registryId } = parseRepository(repository);
    const response = await callAws('ecr:DescribeImages', `image ${repository}:${tag}`, () =>
      client
        .send(new DescribeImagesCommand({ repositoryName, registryId, imageIds: [{ imageTag: tag }] }))
        .catch(absentOn(ImageNotFoundException)),
    );
    const image = response?.imageDetails?.[0];
    return image && { digest: image.imageDigest ?? '', tags: image.imageTags ?? [], pushedAt: image.imagePushedAt };
  }

  /** The digest a tag points at, or undefined when there is no such image. */
  async function imageDigest(repository: string, tag: string): Promise<string | undefined> {
    return (await describeImage(repository, tag))?.digest;
  }

  // A repository's URI never changes: one look-up per repository serves the container's lifetime.
  const uris = new Map<string, string>();

  async function repositoryUri(repository: string): Promise<string> {
    const cached = uris.get(repository);
    if (cached) return cached;
    const described = await describeRepository(repository);
    if (!described) throw new Error(`ECR repository ${repository} does not exist`);
    uris.set(repository, described.uri);
    return described.uri;
  }

  /** An image's scan status and finding counts; no scan at all is `status: undefined`. */
  async function readScan(repository: string, digest: string): Promise<ScanReport> {
    const { repositoryName, registryId } = parseRepository(repository);
    const response = await callAws('ecr:DescribeImageScanFindings', `scan of ${repository}@${digest}`, () =>
      client
        .send(
          new DescribeImageScanFindingsCommand({
            repositoryName,
            registryId,
            imageId: { imageDigest: digest },
            maxResults: 1,
          }),
        )
        .catch(absentOn(ScanNotFoundException)),
    );
    return {
      status: response?.imageScanStatus?.status,
      counts: response?.imageScanFindings?.findingSeverityCounts ?? {},
    };
  }

  /**
   * The image's scan, re-read every few seconds for up to `waitSeconds` while one is under way. Not
   * ECR's waiter: it ends only on COMPLETE, and an enhanced (Inspector) scan ends ACTIVE instead.
   */
  async function scanReport(repository: string, digest: string, waitSeconds: number): Promise<ScanReport> {
    const deadline = Date.now() + waitSeconds * 1000;
    let report = await readScan(repository, digest);
    while (SCAN_UNDER_WAY.some((status) => status === report.status) && Date.now() < deadline) {
      await pause(Math.min(SCAN_POLL_MS, Math.max(0, deadline - Date.now())));
      report = await readScan(repository, digest);
    }
    return report;
  }

  return { describeRepository, describeImage, imageDigest, repositoryUri, scanReport };
}

export type EcrAdapter = ReturnType<typeof createEcrAdapter>;

/** The adapter over the module's shared client (the endpoint comes from AWS_ENDPOINT_URL when set). */
export const ecr = /* @__PURE__ */ createEcrAdapter();

/**
 * The digest-pinned URI of an image (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO@sha256:...`), so a task
 * runs exactly the image that was checked even if its tag moves. Throws if `digest` is not a sha256 digest.
 */
export function imageUri(repositoryUri: string, digest: string): string {
  if (!DIGEST.test(digest)) throw new Error(`not an image digest: ${digest}`);
  return `${repositoryUri}@${digest}`;
}

/** A repository ARN names its registry (account) too; a plain name means the caller's registry. */
function parseRepository(nameOrArn: string): { repositoryName: string; registryId?: string } {
  const arn = REPOSITORY_ARN.exec(nameOrArn);
  return arn?.[1] && arn[2] ? { registryId: arn[1], repositoryName: arn[2] } : { repositoryName: nameOrArn };
}

/** A rejection handler that turns the given "not found" error into undefined and rethrows anything else. */
function absentOn(notFound: abstract new (...args: never[]) => Error) {
  return (err: unknown): undefined => {
    if (err instanceof notFound) return undefined;
    throw err;
  };
}
