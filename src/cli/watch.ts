import { environmentListSchema, releaseViewSchema, type ReleaseView } from '../contract/api.js';
import { SETTLED_RELEASE_STATES, type ReleaseState } from '../domain/release-states.js';
import { ApiError, type ApiClient } from '../api-client/api-client.js';
import { currentStep, duration, failureLines } from './render.js';

/** `watch RELEASE`: polls GET /releases/{id} and shows a live progress line until the release ends. */

export interface WatchOptions {
  intervalMs: number;
  /** Also stop, successfully, once the release is built (BUILT, or already deploying or done). */
  untilBuilt: boolean;
  /** Give up (exit 1) after this long; undefined waits forever. */
  timeoutMs: number | undefined;
  /** One JSON line per change instead of progress lines. */
  json: boolean;
  /** Rewrite one line with \r on a terminal; print a line per change otherwise (logs, pipes). */
  isTTY: boolean;
  write: (text: string) => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Consecutive 5xx or network failures tolerated before giving up (deployments outlast blips). */
  maxFailures?: number;
}

const SETTLED = new Set<ReleaseState>(SETTLED_RELEASE_STATES);
/** Settled, and not as planned: watch exits 1. */
const FAILED = new Set<ReleaseState>(SETTLED_RELEASE_STATES.filter((state) => state !== 'COMPLETED'));
const BUILT_OR_LATER = new Set<ReleaseState>(['BUILT', 'DEPLOYING', 'BAKING', 'COMPLETED']);

function isDone(release: ReleaseView, untilBuilt: boolean): boolean {
  return SETTLED.has(release.state) || (untilBuilt && BUILT_OR_LATER.has(release.state));
}

/** A deploy waiting at the approval gate says how to answer it (watch goes on following it). */
function approvalHint(release: ReleaseView): string {
  if (release.state !== 'AWAITING_APPROVAL') return '';
  return ` (answer: ecs-conductor approve|reject ${release.environment} ${release.version})`;
}

function isTransient(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

/** Polls before concluding that no automatic rollback follows a failure (it starts as the failure is recorded). */
const ROLLBACK_LOOKS = 3;

const readRelease = async (client: ApiClient, id: string) =>
  releaseViewSchema.parse((await client.request('GET', `/releases/${encodeURIComponent(id)}`)).body);

/**
 * The automatic rollback that follows a failed release, if its environment started one: the release
 * its rollout lock now names, rolling back from `failed`. GET /environments reads no ECS.
 */
async function automaticRollback(client: ApiClient, failed: ReleaseView, options: WatchOptions) {
  for (let look = 0; look < ROLLBACK_LOOKS; look += 1) {
    const listed = environmentListSchema.parse((await client.request('GET', '/environments')).body);
    const active = listed.environments.find((env) => env.name === failed.environment)?.activeRelease;
    if (active && active.id !== failed.id) {
      const candidate = await readRelease(client, active.id);
      if (candidate.rollout?.rollingBackFrom === failed.id) return candidate;
    }
    if (look + 1 < ROLLBACK_LOOKS) await options.sleep(options.intervalMs);
  }
  return undefined;
}

/**
 * Follows the release, and into the automatic rollback its failure starts; returns the exit code: 0
 * when it ended well, 1 when it failed (rolled back or not) or timed out.
 */
export async function watchRelease(client: ApiClient, first: string, options: WatchOptions): Promise<number> {
  let id = first;
  let failedRelease: ReleaseView | undefined;
  const { write, now } = options;
  const started = now();
  const elapsed = () => duration(now() - started);
  let shown: string | undefined;
  let lineOpen = false;
  let failures = 0;

  const progress = (text: string, changed: boolean) => {
    if (options.isTTY) {
      write(`\r\x1b[2K${text}`);
      lineOpen = true;
    } else if (changed) {
      write(`${text}\n`);
    }
  };
  const endLine = () => {
    if (lineOpen) write('\n');
    lineOpen = false;
  };

  for (;;) {
    let release: ReleaseView;
    try {
      release = await readRelease(client, id);
      failures = 0;
    } catch (error) {
      // 404, 401, 403 will not change by waiting; a gateway blip or throttling may.
      failures += 1;
      if (!isTransient(error) || failures >= (options.maxFailures ?? 5)) {
        endLine();
        throw error;
      }
      if (!options.json)
        progress(`[${elapsed()}] ${id}: retrying (${error instanceof Error ? error.message : String(error)})`, true);
      await options.sleep(options.intervalMs);
      continue;
    }

    const key = `${release.state}\n${currentStep(release)}`;
    const changed = key !== shown;
    shown = key;
    if (options.json) {
      if (changed) write(`${JSON.stringify(release)}\n`);
    } else {
      const line = `[${elapsed()}] ${release.id} ${release.version} ${release.state} — ${currentStep(release)}`;
      progress(`${line}${approvalHint(release)}`, changed);
    }

    if (isDone(release, options.untilBuilt)) {
      const failed = FAILED.has(release.state);
      if (!options.json) {
        endLine();
        write(`release ${release.id} ${release.state} after ${elapsed()}\n`);
        if (failed) write(`${failureLines(release).join('\n')}${release.failure ? '\n' : ''}`);
      }
      const rollback =
        !failedRelease &&
        release.state === 'FAILED' &&
        // A caller who may read the release but not list environments sees the failure alone.
        (await automaticRollback(client, release, options).catch(() => undefined));
      if (rollback) {
        // The failure is not the end: follow the rollback it started, and still exit 1.
        if (!options.json)
          write(
            `the conductor is rolling ${release.environment} back to ${rollback.version} (${rollback.id}) automatically\n`,
          );
        failedRelease = release;
        id = rollback.id;
        shown = undefined;
        continue;
      }
      if (failedRelease && !options.json) {
        const outcome =
          release.state === 'COMPLETED' ? 'rolled back to' : `its rollback ${release.state} on the way to`;
        write(`${failedRelease.version} failed; ${failedRelease.environment} ${outcome} ${release.version}\n`);
      }
      return failed || failedRelease ? 1 : 0;
    }
    if (options.timeoutMs !== undefined && now() - started >= options.timeoutMs) {
      endLine();
      if (!options.json) write(`release ${release.id} still ${release.state} after ${elapsed()}; stopped watching\n`);
      return 1;
    }
    await options.sleep(options.intervalMs);
  }
}
