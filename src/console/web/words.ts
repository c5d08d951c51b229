import type { BuildStatus, FailureKind } from '../../domain/release.js';
import type { ReleaseState } from '../../domain/release-states.js';
import type { RolloutKind } from '../../domain/rollout-state.js';
import type { Health } from '../../domain/what-runs.js';
import type { LifecycleStage } from '../../domain/native-deployment.js';

import { plural } from '../../domain/plural.js';
import { ago, clock, who } from './format.js';

export { plural };

/**
 * The console's one home for wording: every state the API names (a release's, a build's, an ECS
 * rollout's, an environment's health) as the words an operator reads, with the tone it is drawn in.
 * The views never print a state name themselves.
 */

export type Tone = 'good' | 'bad' | 'warn' | 'busy' | 'neutral';

export interface Said {
  word: string;
  tone: Tone;
}

const RELEASE: Record<ReleaseState, Said> = {
  BUILDING: { word: 'building', tone: 'busy' },
  BUILT: { word: 'built', tone: 'neutral' },
  AWAITING_APPROVAL: { word: 'waiting for approval', tone: 'warn' },
  DEPLOYING: { word: 'deploying', tone: 'busy' },
  BAKING: { word: 'baking (alarms watched)', tone: 'busy' },
  COMPLETED: { word: 'deployed', tone: 'good' },
  FAILED: { word: 'failed', tone: 'bad' },
  ROLLED_BACK: { word: 'rolled back', tone: 'warn' },
};

/** A rollout's kind: `rerun` is the routine redeploy's re-run of its deployment task. */
export const ROLLOUT_KIND: Record<RolloutKind, string> = {
  deploy: 'deploy',
  rollback: 'rollback',
  rerun: 'routine redeploy',
};

const FAILED_ROLLOUT: Record<RolloutKind, string> = {
  deploy: 'deploy failed',
  rollback: 'rollback failed',
  rerun: 'routine redeploy failed',
};

const FAILED_BY: Partial<Record<FailureKind, string>> = {
  build: 'build failed',
  alarm: 'alarm tripped',
  aborted: 'aborted',
};

/**
 * What an answer to a waiting deploy does: before the rollout it starts or drops it; at ECS's pause
 * before production traffic (the new revision already on the test listener) it goes to ECS.
 */
export function answerEffect(answer: 'approve' | 'reject', atPause: boolean): string {
  if (!atPause)
    return answer === 'approve' ? 'rolls the release out now' : 'puts the release back where it was; nothing rolls out';
  return answer === 'approve'
    ? 'lets ECS move production traffic to the new revision, which the test listener serves now'
    : 'has ECS roll the new revision back before any production traffic reaches it; the release fails';
}

/** The Abort action: what it does, said before it is confirmed. */
export const ABORT = {
  label: 'Abort…',
  confirm: 'Abort',
  title: (version: string, environment: string) => `Abort ${version} in ${environment}`,
  effect:
    'Stops the rollout now: ECS rolls each service deployment in progress back to what ran before, the deployment task is stopped, and the release ends failed (aborted). During a bake, the bake just ends.',
  reason: 'Reason (for the release’s failure, timeline and notices)',
} as const;

/** What a release is, in words: a failed one says what failed (its build, its deploy, its rollback). */
export function releaseSaid(release: {
  state: ReleaseState;
  failure?: { kind: FailureKind } | undefined;
  rollout?: { kind: RolloutKind } | undefined;
}): Said {
  const said = RELEASE[release.state];
  if (release.state !== 'FAILED') return said;
  const word =
    (release.failure && FAILED_BY[release.failure.kind]) ??
    (release.rollout ? FAILED_ROLLOUT[release.rollout.kind] : undefined);
  return word ? { ...said, word } : said;
}

const BUILD: Record<BuildStatus, Said> = {
  PENDING: { word: 'waiting', tone: 'neutral' },
  IN_PROGRESS: { word: 'building', tone: 'busy' },
  SUCCEEDED: { word: 'built', tone: 'good' },
  FAILED: { word: 'failed', tone: 'bad' },
  FAULT: { word: 'failed (CodeBuild fault)', tone: 'bad' },
  TIMED_OUT: { word: 'timed out', tone: 'bad' },
  STOPPED: { word: 'stopped', tone: 'bad' },
};

export const buildSaid = (status: BuildStatus): Said => BUILD[status];

/** An ECS deployment's rolloutState (IN_PROGRESS, COMPLETED, FAILED) and a service ECS does not know. */
const SERVICE_ROLLOUT: Record<string, Said> = {
  IN_PROGRESS: { word: 'rolling out', tone: 'busy' },
  COMPLETED: { word: 'rolled out', tone: 'good' },
  FAILED: { word: 'rollout failed', tone: 'bad' },
  MISSING: { word: 'missing', tone: 'bad' },
};

export const serviceRolloutSaid = (state: string): Said =>
  SERVICE_ROLLOUT[state] ?? { word: state.toLowerCase().replaceAll('_', ' '), tone: 'neutral' };

/** A rollout's progress on one service or task (PENDING, UPDATING, RUNNING, …), lower-case words. */
export const progressWord = (state: string): string =>
  ({ PENDING: 'waiting', UPDATING: 'rolling', RUNNING: 'running', COMPLETED: 'done', SUCCEEDED: 'done' })[state] ??
  state.toLowerCase().replaceAll('_', ' ');

const HEALTH: Record<Health, Tone> = { Healthy: 'good', Progressing: 'busy', Degraded: 'bad' };

/** Argo CD's health words stay as they are (operators know them), drawn in their tone. */
export const healthSaid = (health: Health): Said => ({ word: health, tone: HEALTH[health] });

/** `7a1b2c3d4e5f` of `sha256:7a1b…`: the first twelve hex digits, as `docker images` shows a digest. */
export function shortDigest(digest: string): string {
  const hex = digest.slice(digest.indexOf(':') + 1);
  return hex.slice(0, 12);
}

/**
 * Why a release failed, said once: a build's failure in words (`the wsgi build failed in phase
 * BUILD`), any other failure as the conductor recorded it.
 */
export function failureSaid(release: {
  failure?: { kind: FailureKind; reason: string; step: string; phase?: string | undefined } | undefined;
  builds: Record<string, { status: BuildStatus }>;
}): string | undefined {
  const failure = release.failure;
  if (!failure) return undefined;
  if (failure.kind !== 'build') return failure.reason;
  const entrypoint = failure.step.replace(/^build /, '');
  const status = release.builds[entrypoint]?.status;
  if (!status) return failure.reason;
  return `the ${entrypoint} build ${BUILD[status].word}${failure.phase ? ` in phase ${failure.phase}` : ''}`;
}

/** A manual hold: `held at 2 until 14:03:07 by role/ops`. */
export function holdSaid(
  hold: { desiredCount: number; until: string; by?: string | undefined },
  now = Date.now(),
): string {
  return `held at ${hold.desiredCount} until ${clock(hold.until, now)}${hold.by ? ` by ${who(hold.by)}` : ''}`;
}

/**
 * The autoscaler's last decision beside a hold in force: one that set another count was made before
 * the hold (the autoscaler has not passed since), and says so rather than contradict it.
 */
export function decisionSaid(
  decision: { at: string; desiredCount: number; reason: string },
  hold: { desiredCount: number } | null,
  now = Date.now(),
): string {
  const said = `${plural(decision.desiredCount, 'task')}, ${ago(decision.at, now)}: ${decision.reason}`;
  return hold && hold.desiredCount !== decision.desiredCount ? `before the hold: ${said}` : said;
}

/**
 * A native (blue/green, linear, canary) service deployment's lifecycle stage (ECS's
 * ServiceDeploymentLifecycleStage) as an operator reads it; the stage's own name follows in the view.
 */
const NATIVE_STAGE: Record<LifecycleStage, string> = {
  RECONCILE_SERVICE: 'reconciling the running revisions',
  PRE_SCALE_UP: 'before the new revision starts',
  SCALE_UP: 'starting the new revision',
  POST_SCALE_UP: 'new revision started',
  TEST_TRAFFIC_SHIFT: 'test traffic moving to the new revision',
  POST_TEST_TRAFFIC_SHIFT: 'smoke check on test traffic',
  PRE_PRODUCTION_TRAFFIC_SHIFT: 'before production traffic moves',
  PRODUCTION_TRAFFIC_SHIFT: 'production traffic moving',
  POST_PRODUCTION_TRAFFIC_SHIFT: 'production traffic moved',
  BAKE_TIME: 'bake time, the old revision kept',
  CLEAN_UP: 'cleaning up the old revision',
};

export const nativeStageWord = (stage: string): string =>
  (NATIVE_STAGE as Partial<Record<string, string>>)[stage] ?? stage.toLowerCase().replaceAll('_', ' ');

/**
 * What follows a service's progress in a rollout step: why it is where it is, or — for a native
 * deployment still rolling — the lifecycle stage ECS reports (`smoke check on test traffic,
 * POST_TEST_TRAFFIC_SHIFT`), the stage's own name kept for those who look it up.
 */
export function serviceProgressDetail(
  progress: { state: string; reason?: string | undefined; stage?: string | undefined } | undefined,
): string | undefined {
  if (progress?.reason || !progress?.stage) return progress?.reason;
  return progress.state === 'UPDATING' ? `${nativeStageWord(progress.stage)}, ${progress.stage}` : undefined;
}

/** A release gate's name (domain/gates.ts GATE_NAMES) as a heading word. */
const GATE: Record<string, string> = { scan: 'image scan', promotion: 'promotion', approval: 'approval' };

export const gateWord = (gate: string): string => GATE[gate] ?? gate;

const GATE_OUTCOME: Record<string, Said> = {
  passed: { word: 'passed', tone: 'good' },
  overridden: { word: 'overridden', tone: 'warn' },
  awaited: { word: 'waiting for an answer', tone: 'warn' },
};

/** How a gate let the release through (passed, or overridden with a reason), or that it still waits (approval). */
export const gateOutcomeSaid = (outcome: string): Said =>
  GATE_OUTCOME[outcome] ?? { word: outcome.toLowerCase(), tone: 'neutral' };

/**
 * The alarm watch of a deploy: watched through the steps, then baking until a time, then done. A
 * failed release names the alarm that tripped elsewhere (its failure); here, how the watch stands.
 */
export function alarmWatchSaid(
  watch: { alarms: string[]; bakeMinutes: number; bakeUntil?: string | undefined },
  release: { state: ReleaseState; bakedAt?: string | undefined; failure?: { kind: FailureKind } | undefined },
  now = Date.now(),
): Said {
  const alarms = watch.alarms.join(', ');
  if (release.failure?.kind === 'alarm') return { word: `tripped: watched ${alarms}`, tone: 'bad' };
  if (release.bakedAt) return { word: `quiet through the bake: ${alarms}`, tone: 'good' };
  if (release.state === 'BAKING' && watch.bakeUntil)
    return { word: `watching ${alarms}, baking until ${clock(watch.bakeUntil, now)}`, tone: 'busy' };
  if (release.state === 'DEPLOYING') return { word: `watching ${alarms} through the rollout`, tone: 'busy' };
  return { word: `watched ${alarms}`, tone: 'neutral' };
}
