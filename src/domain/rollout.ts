import type { FailureKind, Release, ReleaseFailure, TimelineEntry } from './release.js';
import type { Environment } from './environment.js';
import type { AlarmWatch, Rollout, RolloutKind, RolloutStep } from './rollout-state.js';
import { approvesAtPause, gateTimelineEntry, type GatePass } from './gates.js';

/**
 * Rolling a release out: an ordered plan of steps from the environment's config, and a pure
 * function that, from what ECS reports, decides the next writes and the release's new state.
 * No Lambda waits: every event and every reconcile tick calls `decideRollout` again.
 */
export interface PlanOptions {
  kind: RolloutKind;
  /** A deployment task other than the routine one (e.g. the destructive initial deployment). */
  task?: string | undefined;
}

/**
 * How long a step may take before the rollout fails as stuck (and the environment's lock lease counts
 * it): a services step whose native deployments pause for the approval also gets the approval's wait,
 * which ECS's own timeout ends (gates.approval.at before-production-traffic).
 */
export function stepTimeoutMinutes(env: Environment, step: RolloutStep): number {
  if (step.kind === 'task') return env.deploymentTasks[step.task]?.timeoutMinutes ?? env.rollout.stepTimeoutMinutes;
  const pauses = approvesAtPause(env.gates) && step.services.some((key) => env.services[key]?.strategy !== undefined);
  return env.rollout.stepTimeoutMinutes + (pauses ? (env.gates?.approval?.expiresAfterMinutes ?? 0) : 0);
}

/** The services a DEPLOYING release is changing now: the autoscaler keeps its hands off them. */
export function servicesInRollout(release: Release | undefined): Set<string> {
  const rollout = release?.state === 'DEPLOYING' ? release.rollout : undefined;
  const step = rollout?.steps[rollout.stepIndex];
  return new Set(step?.kind === 'services' ? step.services : []);
}

/** The ordered steps of a rollout: services together, and the deployment task before or after them. */
export function planRollout(env: Environment, options: PlanOptions): RolloutStep[] {
  const task = options.task ?? env.rollout.deploymentTask;
  const taskStep: RolloutStep[] = task === undefined ? [] : [{ kind: 'task', task }];
  if (options.kind === 'rerun') return taskStep;
  const services = env.rollout.services ?? Object.keys(env.services);
  const servicesStep: RolloutStep[] = services.length > 0 ? [{ kind: 'services', services }] : [];
  return env.rollout.order === 'deployment-first' ? [...taskStep, ...servicesStep] : [...servicesStep, ...taskStep];
}

/** The entrypoint whose image a service or task of the plan runs. */
export function entrypointOf(env: Environment, step: RolloutStep, name: string): string {
  if (step.kind === 'task') return env.deploymentTasks[name]?.entrypoint ?? name;
  return env.services[name]?.entrypoint ?? name;
}

/** Entrypoints the plan needs that the release has no built image for. */
export function missingImages(release: Release, env: Environment, steps: RolloutStep[]): string[] {
  const needed = steps.flatMap((step) =>
    step.kind === 'task' ? [entrypointOf(env, step, step.task)] : step.services.map((s) => entrypointOf(env, step, s)),
  );
  return [...new Set(needed)].filter((entrypoint) => !release.builds[entrypoint]?.digest);
}

/** The release, now DEPLOYING along `steps`. */
export function beginRollout(
  release: Release,
  steps: RolloutStep[],
  meta: {
    kind: RolloutKind;
    triggeredBy: string;
    lockOwner: string;
    rollingBackFrom?: string | undefined;
    /** The environment's gates this release passed on its way in (domain/gates.ts). */
    gates?: GatePass[] | undefined;
    /** The alarms it watches through its steps and bake (domain/alarm-watch.ts, alarmWatchFor). */
    watch?: AlarmWatch | undefined;
  },
  now: Date,
): Release {
  const at = now.toISOString();
  const rollout: Rollout = {
    kind: meta.kind,
    attempt: (release.rollout?.attempt ?? 0) + 1,
    steps,
    stepIndex: 0,
    stepStartedAt: at,
    services: {},
    tasks: {},
    triggeredBy: meta.triggeredBy,
    lockOwner: meta.lockOwner,
    ...(meta.rollingBackFrom ? { rollingBackFrom: meta.rollingBackFrom } : {}),
    ...(meta.gates?.length ? { gates: meta.gates } : {}),
    ...(meta.watch ? { watch: meta.watch } : {}),
  };
  // A new rollout starts clean: an earlier attempt's failure no longer describes the release.
  const rest: Release = { ...release };
  delete rest.failure;
  // A deploy that waited for approval starts now: the wait is over.
  delete rest.approval;
  return {
    ...rest,
    state: 'DEPLOYING',
    rollout,
    updatedAt: at,
    timeline: [
      ...release.timeline,
      ...unrecordedPasses(release, meta.gates ?? []).map((pass) => ({ at, ...gateTimelineEntry(pass) })),
      { at, step: `${meta.kind} started`, detail: `by ${meta.triggeredBy}: ${describeSteps(steps)}` },
    ],
  };
}

export function describeSteps(steps: RolloutStep[]): string {
  return steps
    .map((step) => (step.kind === 'task' ? `run ${step.task}` : `roll ${step.services.join(', ')}`))
    .join(' → ');
}

export function stepName(step: RolloutStep): string {
  return step.kind === 'task' ? `task ${step.task}` : `services ${step.services.join(', ')}`;
}

/** Appends timeline entries and stamps the update time. */
export function withTimeline(release: Release, entries: TimelineEntry[]): Release {
  const last = entries.at(-1);
  return last ? { ...release, updatedAt: last.at, timeline: [...release.timeline, ...entries] } : release;
}

/** Marks the release FAILED with the reason, at its current step unless `details` names another (the bake). */
export function failRelease(
  release: Release,
  kind: FailureKind,
  reason: string,
  now: Date,
  details: Pick<ReleaseFailure, 'alarm' | 'aborted'> & { step?: string } = {},
): Release {
  const step = release.rollout?.steps[release.rollout.stepIndex];
  const at = now.toISOString();
  return {
    ...withTimeline(release, [{ at, step: 'release failed', detail: reason }]),
    state: 'FAILED',
    failure: { kind, step: step ? stepName(step) : 'rollout', reason, ...details },
  };
}

function withRollout(release: Release, change: (rollout: Rollout) => Rollout): Release {
  if (!release.rollout) throw new Error(`release ${release.id} has no rollout`);
  return { ...release, rollout: change(release.rollout) };
}

/** A service was pointed at the release's task-definition revision; ECS deployment `deploymentId` rolls it. */
export function serviceRolling(
  release: Release,
  service: string,
  taskDefinitionArn: string,
  deploymentId: string,
  now: Date,
  /** A native (blue/green, linear, canary) deployment's ARN: the step then ends on its status. */
  native?: { serviceDeploymentArn: string; strategy: string },
): Release {
  if (release.rollout?.services[service]?.state !== undefined && release.rollout.services[service].state !== 'PENDING')
    return release;
  const progress = { state: 'UPDATING' as const, taskDefinitionArn, deploymentId };
  const rolled = withRollout(release, (rollout) => ({
    ...rollout,
    services: {
      ...rollout.services,
      [service]: native ? { ...progress, serviceDeploymentArn: native.serviceDeploymentArn } : progress,
    },
  }));
  const how = native ? `${native.strategy} deployment ${native.serviceDeploymentArn}` : `deployment ${deploymentId}`;
  return withTimeline(rolled, [
    { at: now.toISOString(), step: `service ${service} rolling`, detail: `${taskDefinitionArn} (${how})` },
  ]);
}

/** The deployment task was started as `taskArn`. */
export function taskStarted(
  release: Release,
  task: string,
  taskDefinitionArn: string,
  taskArn: string,
  now: Date,
): Release {
  if (release.rollout?.tasks[task]?.state !== undefined && release.rollout.tasks[task].state !== 'PENDING')
    return release;
  const started = withRollout(release, (rollout) => ({
    ...rollout,
    tasks: { ...rollout.tasks, [task]: { state: 'RUNNING', taskDefinitionArn, taskArn } },
  }));
  return withTimeline(started, [{ at: now.toISOString(), step: `task ${task} running`, detail: taskArn }]);
}

/** ECS refused to start the deployment task: the release fails, as a task without an exit code does. */
export function taskFailedToStart(release: Release, task: string, reasons: string[], now: Date): Release {
  if (release.state !== 'DEPLOYING') return release;
  const reason = `task ${task} failed to start: ${reasons.join('; ')}`;
  const failed = withRollout(release, (rollout) => ({
    ...rollout,
    tasks: { ...rollout.tasks, [task]: { state: 'FAILED', stopCode: 'TaskFailedToStart', reason } },
  }));
  return failRelease(failed, 'task-not-started', reason, now);
}

/**
 * The automatic rollback that followed the release's failure started: its failure and timeline say
 * which release the environment went back to. Recorded once, however often its end is finished.
 */
export function rollbackStarted(release: Release, to: Pick<Release, 'id' | 'version'>, now: Date): Release {
  if (!release.failure || release.failure.rolledBackTo?.releaseId === to.id) return release;
  return {
    ...withTimeline(release, [
      { at: now.toISOString(), step: 'automatic rollback started', detail: `to ${to.version} (${to.id})` },
    ]),
    failure: { ...release.failure, rolledBackTo: { releaseId: to.id, version: to.version } },
  };
}

/**
 * The passes not yet in the timeline: an override given with a deploy that then waited for approval
 * was recorded when given (domain/approval.ts), so the rollout that follows the approval records it once.
 */
export function unrecordedPasses(release: Release, passes: GatePass[]): GatePass[] {
  const since = release.approval?.requestedAt;
  if (since === undefined) return passes;
  const recorded = release.timeline.filter((entry) => entry.at >= since);
  return passes.filter((pass) => {
    const { step, detail } = gateTimelineEntry(pass);
    return !recorded.some((entry) => entry.step === step && entry.detail === detail);
  });
}
