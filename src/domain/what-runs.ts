import type { Release } from './release.js';

/**
 * What an environment really runs, read from ECS rather than from the conductor's own records: each
 * service's image digest names the release that built it. Status, rollback, watch, the API and the
 * console all take this one answer (Argo CD's model: health from the live state, not the last intent).
 */

/** One service as ECS shows it: its image digest (when pinned) and its counts. */
export interface LiveService {
  key: string;
  /** The service's entrypoint (the image it runs); its key when the config names none. */
  entrypoint: string;
  digest: string | undefined;
  desiredCount: number | null;
  runningCount: number | null;
  /** More than one ECS deployment, or the primary still IN_PROGRESS: ECS is still rolling it. */
  rolling: boolean;
  missing: boolean;
}

export type Health = 'Healthy' | 'Progressing' | 'Degraded';

export interface ServiceTruth {
  key: string;
  /** The release whose image the service runs, when a release the conductor knows built it. */
  releaseId: string | null;
  version: string | null;
  desiredCount: number | null;
  runningCount: number | null;
}

export interface WhatRuns {
  /** The one release every service runs; undefined when they run different ones, or none known. */
  release: Release | undefined;
  health: Health;
  /** Why the health is what it is, in words. */
  reason: string;
  services: ServiceTruth[];
}

const runsImageOf = (release: Release, service: LiveService) =>
  service.digest !== undefined && release.builds[service.entrypoint]?.digest === service.digest;

/**
 * The release that built a service's image. Two releases may share an unchanged image: the one named
 * by `preferred` (the one the environment deployed last) wins, then the newest.
 */
function releaseOf(service: LiveService, newestFirst: readonly Release[], preferred: readonly string[]) {
  const builders = newestFirst.filter((release) => runsImageOf(release, service));
  return builders.find((release) => preferred.includes(release.id)) ?? builders[0];
}

/**
 * The one release whose images every service runs (a shared image does not split the environment); a
 * service whose image is named by tag, not digest, says nothing either way.
 */
function commonRelease(live: readonly LiveService[], newestFirst: readonly Release[], preferred: readonly string[]) {
  const pinned = live.filter((service) => service.digest !== undefined);
  if (pinned.length === 0) return undefined;
  const all = newestFirst.filter((release) => pinned.every((service) => runsImageOf(release, service)));
  return all.find((release) => preferred.includes(release.id)) ?? all[0];
}

function healthOf(live: readonly LiveService[], release: Release | undefined, rollingOut: boolean) {
  const missing = live.filter((service) => service.missing).map((service) => service.key);
  if (missing.length > 0) return { health: 'Degraded' as const, reason: `ECS has no service ${missing.join(', ')}` };
  const rolling = live.filter((service) => service.rolling || service.runningCount !== service.desiredCount);
  if (rollingOut || rolling.some((service) => service.rolling))
    return { health: 'Progressing' as const, reason: 'a rollout is under way' };
  if (!release && live.some((service) => service.digest !== undefined))
    return { health: 'Degraded' as const, reason: 'its services run different releases' };
  if (release?.state === 'FAILED')
    return { health: 'Degraded' as const, reason: `it runs ${release.version}, whose rollout failed` };
  if (rolling.length > 0)
    return {
      health: 'Degraded' as const,
      reason: `${rolling.map((service) => service.key).join(', ')} run fewer tasks than desired`,
    };
  if (!release)
    return {
      health: 'Healthy' as const,
      reason: 'images are named by tag, not digest, so no release is known: adopt records what runs',
    };
  return { health: 'Healthy' as const, reason: `every service runs ${release.version}` };
}

/**
 * What runs, from each service's image digest and the environment's recent releases (newest first).
 * `preferred` names releases to prefer where images are shared (the rollout lock's, the current one);
 * `rollingOut` says a rollout holds the environment.
 */
export function whatRuns(
  live: readonly LiveService[],
  newestFirst: readonly Release[],
  options: { preferred?: readonly (string | undefined)[]; rollingOut?: boolean } = {},
): WhatRuns {
  const preferred = (options.preferred ?? []).filter((id): id is string => id !== undefined);
  const release = commonRelease(
    live.filter((service) => !service.missing),
    newestFirst,
    preferred,
  );
  const services = live.map((service): ServiceTruth => {
    const built = release && runsImageOf(release, service) ? release : releaseOf(service, newestFirst, preferred);
    return {
      key: service.key,
      releaseId: built?.id ?? null,
      version: built?.version ?? null,
      desiredCount: service.desiredCount,
      runningCount: service.runningCount,
    };
  });
  return { release, services, ...healthOf(live, release, options.rollingOut ?? false) };
}

/** The next step an operator would take, as a conductor command, or null when there is none. */
export function nextStep(environment: string, runs: WhatRuns, rollbackTo: Release | undefined): string | null {
  if (runs.health === 'Progressing') return `ecs-conductor watch ${environment}`;
  if (runs.health === 'Healthy') return null;
  if (rollbackTo) return `ecs-conductor rollback ${environment}   (back to ${rollbackTo.version})`;
  return `ecs-conductor deploy ${environment} VERSION   (one release on every service)`;
}
