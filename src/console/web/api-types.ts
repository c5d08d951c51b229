import type * as z from 'zod';
import type {
  environmentListSchema,
  environmentStatusSchema,
  releaseBuildsViewSchema,
  scaleViewSchema,
} from '../../contract/api.js';
import type { Release } from '../../domain/release.js';

/** The API's replies as the page reads them: the types of the API's own schemas, one home for each. */

export type EnvironmentList = z.output<typeof environmentListSchema>;
export type EnvironmentSummary = EnvironmentList['environments'][number];

export type EnvironmentStatus = z.output<typeof environmentStatusSchema>;
/** What the services run now: the release of the environment's last completed rollout. */
export type RunningRelease = NonNullable<EnvironmentStatus['running']>;
export type ServiceStatus = EnvironmentStatus['services'][number];
export type QueueStatus = EnvironmentStatus['queues'][number];
export type ReleaseSummary = NonNullable<EnvironmentStatus['latestRelease']>;

/** GET /releases/{id} answers the stored release as the core keeps it. */
export type ReleaseView = Release;
export interface ReleasePage {
  releases: ReleaseView[];
  cursor?: string;
}

export type BuildReply = z.output<typeof releaseBuildsViewSchema>;
export type ScaleReply = z.output<typeof scaleViewSchema>;
