import { servicesStatus, type ServiceStatus } from '../domain/environment-status.js';
import type { NamedEnvironment } from '../domain/environment.js';
import type { Release } from '../domain/release.js';
import { holdsRollout } from '../domain/release-states.js';
import { whatRuns, type LiveService, type WhatRuns } from '../domain/what-runs.js';
import type {
  CurrentRelease,
  CurrentReleases,
  EnvironmentLocks,
  ReleaseRepository,
  ServiceControl,
  TaskControl,
} from './ports.js';

/** What reading the truth of what runs needs: ECS's services and task definitions, and the releases. */
export interface WhatRunsPorts {
  services: Pick<ServiceControl, 'describeServices'>;
  tasks: Pick<TaskControl, 'describeTaskDefinition'>;
  releases: Pick<ReleaseRepository, 'get' | 'listForEnvironment'>;
  locks: Pick<EnvironmentLocks, 'holder'>;
  current: Pick<CurrentReleases, 'current'>;
}

/** Releases looked through for the one that built each running image: a rollback's window too. */
const RECENT = 25;

export interface LiveState {
  runs: WhatRuns;
  /** Each configured service as ECS describes it (its version from `runs`). */
  services: ServiceStatus[];
  /** The environment's recent releases, newest first, with the lock's and the current one's. */
  releases: Release[];
  locked: Release | undefined;
  current: CurrentRelease | undefined;
  /**
   * The release the environment runs: the one every service's image comes from or, when no image is
   * one a known release built (images by tag, say), the release the conductor recorded last.
   */
  running: Release | undefined;
}

async function describedServices(ports: WhatRunsPorts, { env }: NamedEnvironment): Promise<ServiceStatus[]> {
  const configured = Object.values(env.services).map((service) => service.service);
  if (configured.length === 0) return [];
  // One DescribeServices for the whole environment (the adapter splits it into calls of 10).
  const described = await ports.services.describeServices(env.cluster, configured);
  const arns = [...new Set(described.services.map((state) => state.taskDefinitionArn).filter((arn) => arn !== ''))];
  const definitions = new Map(
    await Promise.all(arns.map(async (arn) => [arn, await ports.tasks.describeTaskDefinition(arn)] as const)),
  );
  return servicesStatus(env, described, definitions, undefined);
}

function liveService({ env }: NamedEnvironment, status: ServiceStatus): LiveService {
  return {
    key: status.key,
    entrypoint: env.services[status.key]?.entrypoint ?? status.key,
    digest: status.image?.digest ?? undefined,
    desiredCount: status.desiredCount,
    runningCount: status.runningCount,
    rolling: status.deployments > 1 || status.rolloutState === 'IN_PROGRESS',
    missing: status.status === 'MISSING',
  };
}

/**
 * The truth of what an environment runs, read from ECS (each service's image digest) and matched to
 * the releases that built those images; the conductor's current-release record only breaks ties.
 */
export async function readWhatRuns(ports: WhatRunsPorts, target: NamedEnvironment): Promise<LiveState> {
  const read = async (id: string | undefined) => (id ? (await ports.releases.get(id))?.release : undefined);
  const [described, page, lock, current] = await Promise.all([
    describedServices(ports, target),
    ports.releases.listForEnvironment(target.name, { limit: RECENT }),
    ports.locks.holder(target.name),
    ports.current.current(target.name),
  ]);
  const [locked, recorded] = await Promise.all([read(lock?.releaseId), read(current?.releaseId)]);
  const listed = new Set(page.releases.map((release) => release.id));
  const extra = [locked, recorded].filter((release): release is Release => !!release && !listed.has(release.id));
  const releases = [...page.releases, ...extra];
  const runs = whatRuns(
    described.map((status) => liveService(target, status)),
    releases,
    { preferred: [lock?.releaseId, current?.releaseId], rollingOut: !!locked && holdsRollout(locked) },
  );
  const services = described.map((status, index) => ({ ...status, version: runs.services[index]?.version ?? null }));
  const unknown = runs.services.every((service) => service.releaseId === null);
  return { runs, services, releases, locked, current, running: runs.release ?? (unknown ? recorded : undefined) };
}
