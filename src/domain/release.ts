import { createHash } from 'node:crypto';
import { releaseIdFromHash, type ReleaseState } from './release-states.js';
import type { PendingApproval } from './gates.js';
import type { Rollout } from './rollout-state.js';

/**
 * A release: one version of an environment's application, built per entrypoint from one source
 * image, then rolled out. Pure state transitions; storing them is an adapter's job.
 */
export type BuildStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED';

export const FAILED_BUILD_STATUSES: readonly BuildStatus[] = ['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'];

export interface EntrypointBuild {
  /** The tag the build pushes, `<version><tagSuffix>`. */
  imageTag: string;
  status: BuildStatus;
  buildId?: string;
  /** Digest of the pushed image, read from ECR once the build succeeded. */
  digest?: string;
}

export interface TimelineEntry {
  at: string;
  step: string;
  detail?: string;
}

/** What ended a release in failure: the rest of the core acts on the kind, never on the reason's words. */
export const FAILURE_KINDS = [
  'build',
  'service',
  'task',
  'task-not-started',
  'timeout',
  'alarm',
  'stopped',
  'aborted',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface ReleaseFailure {
  kind: FailureKind;
  step: string;
  reason: string;
  buildId?: string;
  phase?: string;
  logLink?: string;
  /** For kind `alarm`: the watched CloudWatch alarm that went to ALARM, and when (its StateUpdatedTimestamp). */
  alarm?: { name: string; changedAt: string; reason?: string };
  /** For kind `aborted`: who stopped the rollout, when and why, and what ECS rolls back to. */
  aborted?: { by: string; at: string; reason?: string | undefined; rollsBackTo?: string | undefined };
  /** The automatic rollback that followed: the release the environment went back to. */
  rolledBackTo?: { releaseId: string; version: string };
}

export interface Release {
  id: string;
  environment: string;
  version: string;
  sourceDigest: string;
  state: ReleaseState;
  builds: Record<string, EntrypointBuild>;
  /** `push` (with the event id) or the API caller's principal. */
  triggeredBy: string;
  /** Which build of its source image this is, when not the first (its first build failed). */
  buildAttempt?: number;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
  failure?: ReleaseFailure;
  /** The latest rollout of this release (deploy, rollback to it, or a re-run of its deployment task). */
  rollout?: Rollout;
  completedAt?: string;
  /** When a bake (state BAKING) ended with no watched alarm in ALARM (domain/alarm-watch.ts). */
  bakedAt?: string;
  /** A deploy waiting for approval (state AWAITING_APPROVAL, domain/approval.ts). */
  approval?: PendingApproval;
  /** Set on a baseline recorded by adopt (domain/adopt.ts): the task definitions that ran, by component. */
  adopted?: { taskDefinitions: Record<string, string> };
}

/**
 * Same environment, source digest, entrypoints and build attempt → same release: a redelivered push
 * finds it. A version whose build failed is built again as attempt 2, 3, … (a new release, new builds).
 */
export function releaseIdFor(
  environment: string,
  sourceDigest: string,
  entrypoints: readonly string[],
  attempt = 1,
): string {
  const parts = [environment, sourceDigest, ...[...entrypoints].sort(), ...(attempt > 1 ? [`attempt ${attempt}`] : [])];
  const hash = createHash('sha256').update(parts.join('\n')).digest('hex');
  return releaseIdFromHash(hash);
}

/** The release's builds failed: it can never be rolled out, only built again as a new attempt. */
export function buildFailed(release: Release): boolean {
  return release.state === 'FAILED' && release.failure?.kind === 'build';
}

export interface NewRelease {
  environment: string;
  version: string;
  sourceDigest: string;
  /** Entrypoint name → the tag its build pushes. */
  imageTags: Record<string, string>;
  triggeredBy: string;
  /** 1 for the first build of the source image; more for builds again after a failed one. */
  attempt?: number | undefined;
}

/** A release about to be built: every entrypoint PENDING. */
export function newRelease(input: NewRelease, now: Date): Release {
  const at = now.toISOString();
  const entrypoints = Object.keys(input.imageTags);
  const attempt = input.attempt ?? 1;
  const again = attempt > 1 ? ` (build attempt ${attempt})` : '';
  return {
    id: releaseIdFor(input.environment, input.sourceDigest, entrypoints, attempt),
    environment: input.environment,
    version: input.version,
    sourceDigest: input.sourceDigest,
    state: 'BUILDING',
    builds: Object.fromEntries(
      entrypoints.map((name) => [name, { imageTag: input.imageTags[name] ?? '', status: 'PENDING' }]),
    ),
    triggeredBy: input.triggeredBy,
    ...(attempt > 1 ? { buildAttempt: attempt } : {}),
    createdAt: at,
    updatedAt: at,
    timeline: [
      {
        at,
        step: 'release created',
        detail: `builds of ${entrypoints.join(', ')} from ${input.sourceDigest}${again}`,
      },
    ],
  };
}

export interface NewImageRelease {
  environment: string;
  /** The pushed source tag: every entrypoint runs the image it names. */
  version: string;
  /** The pushed image's digest, pinned into every service's and deployment task's definition. */
  sourceDigest: string;
  entrypoints: readonly string[];
  triggeredBy: string;
}

/**
 * A single-image environment's release: the pushed image is every entrypoint's, so it is BUILT at
 * once, each entrypoint SUCCEEDED at the pushed digest under the pushed tag. Same push → same id.
 */
export function newImageRelease(input: NewImageRelease, now: Date): Release {
  const at = now.toISOString();
  const build: EntrypointBuild = { imageTag: input.version, status: 'SUCCEEDED', digest: input.sourceDigest };
  return {
    id: releaseIdFor(input.environment, input.sourceDigest, input.entrypoints),
    environment: input.environment,
    version: input.version,
    sourceDigest: input.sourceDigest,
    state: 'BUILT',
    builds: Object.fromEntries(input.entrypoints.map((name) => [name, { ...build }])),
    triggeredBy: input.triggeredBy,
    createdAt: at,
    updatedAt: at,
    timeline: [
      {
        at,
        step: 'release recorded',
        detail: `single image ${input.version} (${input.sourceDigest}) for ${input.entrypoints.join(', ')}`,
      },
      { at, step: 'release built' },
    ],
  };
}

function withBuild(
  release: Release,
  entrypoint: string,
  change: Partial<EntrypointBuild>,
  entry: TimelineEntry,
): Release {
  const build = release.builds[entrypoint];
  if (!build) throw new Error(`release ${release.id} has no entrypoint ${entrypoint}`);
  return {
    ...release,
    builds: { ...release.builds, [entrypoint]: { ...build, ...change } },
    updatedAt: entry.at,
    timeline: [...release.timeline, entry],
  };
}

/** The build of one entrypoint started. */
export function recordBuildStarted(release: Release, entrypoint: string, buildId: string, now: Date): Release {
  return withBuild(
    release,
    entrypoint,
    { buildId, status: 'IN_PROGRESS' },
    { at: now.toISOString(), step: `build ${entrypoint} started`, detail: buildId },
  );
}

export interface BuildOutcome {
  status: BuildStatus;
  digest?: string | undefined;
  phase?: string | undefined;
  logLink?: string | undefined;
}

/**
 * Records one build's outcome. All entrypoints SUCCEEDED → BUILT; any failure → FAILED with the
 * build, phase and log link. A release that already left BUILDING keeps its state.
 */
export function recordBuildOutcome(release: Release, entrypoint: string, outcome: BuildOutcome, now: Date): Release {
  const build = release.builds[entrypoint];
  if (build?.status === outcome.status && build.digest === outcome.digest) return release;
  const at = now.toISOString();
  const updated = withBuild(
    release,
    entrypoint,
    { status: outcome.status, ...(outcome.digest ? { digest: outcome.digest } : {}) },
    {
      at,
      step: `build ${entrypoint} ${outcome.status.toLowerCase()}`,
      ...(outcome.digest ? { detail: outcome.digest } : {}),
    },
  );
  if (release.state !== 'BUILDING') return updated;
  if (FAILED_BUILD_STATUSES.includes(outcome.status)) {
    const reason = `build of ${entrypoint} ${outcome.status}${outcome.phase ? ` in phase ${outcome.phase}` : ''}`;
    return {
      ...updated,
      state: 'FAILED',
      failure: {
        kind: 'build',
        step: `build ${entrypoint}`,
        reason,
        ...(build?.buildId ? { buildId: build.buildId } : {}),
        ...(outcome.phase ? { phase: outcome.phase } : {}),
        ...(outcome.logLink ? { logLink: outcome.logLink } : {}),
      },
      timeline: [...updated.timeline, { at, step: 'release failed', detail: reason }],
    };
  }
  const allBuilt = Object.values(updated.builds).every((entry) => entry.status === 'SUCCEEDED' && entry.digest);
  return allBuilt
    ? { ...updated, state: 'BUILT', timeline: [...updated.timeline, { at, step: 'release built' }] }
    : updated;
}

/** The release a rollback replaced: it no longer runs anywhere. */
export function markRolledBack(release: Release, byReleaseId: string, now: Date): Release {
  if (release.state === 'ROLLED_BACK') return release;
  const at = now.toISOString();
  return {
    ...release,
    state: 'ROLLED_BACK',
    updatedAt: at,
    timeline: [...release.timeline, { at, step: 'rolled back', detail: `replaced by ${byReleaseId}` }],
  };
}
