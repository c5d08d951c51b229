import { createHash } from 'node:crypto';
import { releaseIdFor, type EntrypointBuild, type Release } from './release.js';

/**
 * Adopting an environment the conductor did not roll out: what ECS runs now, recorded as a completed
 * release (the baseline) so that status shows it and a rollback can return to it. Pure: the adopt
 * use case reads ECS and ECR.
 */

/** One configured service or the routine deployment task, as ECS runs it now. */
export interface RunningImage {
  /** `service <key>` or `task <key>`. */
  component: string;
  entrypoint: string;
  taskDefinitionArn: string;
  /** The container's image as the task definition names it. */
  image: string;
  /** Its digest: as written, or resolved from its tag through ECR. */
  digest: string;
  tag: string | null;
}

/** Entrypoints whose components run different images: one release cannot describe them. */
export function conflictingEntrypoints(running: RunningImage[]): string[] {
  const digests = new Map<string, Set<string>>();
  for (const image of running)
    digests.set(image.entrypoint, (digests.get(image.entrypoint) ?? new Set()).add(image.digest));
  return [...digests].filter(([, found]) => found.size > 1).map(([entrypoint]) => entrypoint);
}

/** Whether a release has exactly these images for every entrypoint that runs. */
export function runsImagesOf(release: Release, running: RunningImage[]): boolean {
  return running.every((image) => release.builds[image.entrypoint]?.digest === image.digest);
}

/**
 * The baseline release of what runs: COMPLETED, one build per entrypoint with its digest. The same
 * images give the same release id, so adopting again finds it. Its version is `adopted-` and the
 * first 12 hex digits of the digest over its images.
 */
export function adoptedRelease(environment: string, running: RunningImage[], triggeredBy: string, now: Date): Release {
  const byEntrypoint = new Map(running.map((image) => [image.entrypoint, image]));
  const entrypoints = [...byEntrypoint.keys()].sort();
  const lines = entrypoints.map((entrypoint) => `${entrypoint}@${byEntrypoint.get(entrypoint)?.digest ?? ''}`);
  const sourceDigest = `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  const builds: Record<string, EntrypointBuild> = Object.fromEntries(
    entrypoints.map((entrypoint) => {
      const image = byEntrypoint.get(entrypoint);
      return [entrypoint, { imageTag: image?.tag ?? 'adopted', status: 'SUCCEEDED', digest: image?.digest ?? '' }];
    }),
  );
  const at = now.toISOString();
  const what = running.map((image) => `${image.component}: ${image.taskDefinitionArn} ${image.image}`).join('; ');
  return {
    id: releaseIdFor(environment, sourceDigest, entrypoints),
    environment,
    version: `adopted-${sourceDigest.slice('sha256:'.length, 'sha256:'.length + 12)}`,
    sourceDigest,
    state: 'COMPLETED',
    builds,
    triggeredBy,
    createdAt: at,
    updatedAt: at,
    completedAt: at,
    adopted: {
      taskDefinitions: Object.fromEntries(running.map((image) => [image.component, image.taskDefinitionArn])),
    },
    timeline: [{ at, step: 'adopted', detail: `recorded what ECS runs: ${what}` }],
  };
}

/** When the routine task last ran, from the tasks ECS still shows: the newest start (or creation). */
export function newestRunAt(tasks: { startedAt?: Date; createdAt?: Date }[]): string | undefined {
  const times = tasks.flatMap((task) => {
    const at = task.startedAt ?? task.createdAt;
    return at ? [at.getTime()] : [];
  });
  return times.length === 0 ? undefined : new Date(Math.max(...times)).toISOString();
}
