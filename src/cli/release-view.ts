import * as z from 'zod';

/**
 * The parts of a release (GET /releases/{id}) the CLI shows. Loose on purpose: the CLI reads what it
 * knows and ignores fields a newer API adds.
 */
export const releaseViewSchema = z.looseObject({
  id: z.string(),
  environment: z.string(),
  version: z.string(),
  state: z.string(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  builds: z
    .record(
      z.string(),
      z.looseObject({ imageTag: z.string().optional(), status: z.string().optional(), buildId: z.string().nullish() }),
    )
    .optional(),
  timeline: z.array(z.looseObject({ at: z.string(), step: z.string(), detail: z.string().optional() })).default([]),
  failure: z
    .looseObject({
      step: z.string(),
      reason: z.string(),
      buildId: z.string().optional(),
      phase: z.string().optional(),
      logLink: z.string().optional(),
    })
    .optional(),
});

export type ReleaseView = z.output<typeof releaseViewSchema>;

export const releaseListViewSchema = z.looseObject({
  releases: z.array(releaseViewSchema),
  cursor: z.string().optional(),
});

/** Where a release stands, for watch: its latest timeline step. */
export function currentStep(release: ReleaseView): string {
  return release.timeline.at(-1)?.step ?? '(no step yet)';
}

export const FAILED_STATES = new Set(['FAILED', 'ROLLED_BACK']);
