import { decideBake, failOnAlarm, stepsDone, trippedAlarm, type AlarmReading } from './alarm-watch.js';
import { plural } from './plural.js';
import type { Release, TimelineEntry } from './release.js';
import { failRelease, stepTimeoutMinutes, stepName, withTimeline } from './rollout.js';
import type { Rollout, RolloutStep, ServiceProgress, TaskProgress } from './rollout-state.js';
import type { Environment } from './environment.js';
import { awaitingPause, nativeVerdict, type ObservedServiceDeployment } from './native-deployment.js';
import { awaitApprovalAtPause, withoutApproval } from './approval.js';
import { approvesAtPause } from './gates.js';

/** What ECS says about a service of the current step. */
export interface ObservedService {
  taskDefinitionArn: string;
  deployments: { id: string; rolloutState?: string | undefined; rolloutStateReason?: string | undefined }[];
  /** A native deployment's record (DescribeServiceDeployments), read when the step started one. */
  serviceDeployment?: ObservedServiceDeployment | undefined;
}

/** What ECS (or its STOPPED event) says about the step's deployment task. */
export interface ObservedTask {
  lastStatus: string;
  stopCode?: string | undefined;
  stoppedReason?: string | undefined;
  containers: { name: string; exitCode?: number | undefined; reason?: string | undefined }[];
}

export interface Observation {
  services?: Record<string, ObservedService | undefined>;
  task?: ObservedTask | undefined;
  /** The ARN of the task `task` describes, when an event brought it. */
  taskArn?: string;
  /** A SERVICE_DEPLOYMENT_FAILED event: final, whatever DescribeServices still says. */
  failedDeployment?: { deploymentId: string; reason: string };
  /** The watched alarms' states (rollout.watch), read now; absent when none were read. */
  alarms?: AlarmReading[];
}

export type RolloutAction = { kind: 'rollService'; service: string } | { kind: 'runTask'; task: string };

export interface RolloutDecision {
  release: Release;
  actions: RolloutAction[];
}

function currentStep(rollout: Rollout): RolloutStep | undefined {
  return rollout.steps[rollout.stepIndex];
}

/** A service's progress given what ECS reports about the deployment the conductor started. */
function serviceProgress(
  progress: ServiceProgress,
  observed: ObservedService | undefined,
  failed: Observation['failedDeployment'],
): ServiceProgress {
  if (progress.state !== 'UPDATING') return progress;
  // A native deployment ends on its own status only; its events just make the conductor look again.
  if (progress.serviceDeploymentArn !== undefined) return nativeProgress(progress, observed?.serviceDeployment);
  if (failed && failed.deploymentId === progress.deploymentId)
    return { ...progress, state: 'FAILED', reason: failed.reason };
  if (!observed) return progress;
  if (observed.taskDefinitionArn !== progress.taskDefinitionArn) {
    // ECS's circuit breaker rolled back, or someone changed the service: either way not this release.
    return {
      ...progress,
      state: 'FAILED',
      reason: `service runs ${observed.taskDefinitionArn}, not the release's ${progress.taskDefinitionArn ?? '?'}`,
    };
  }
  const deployment = observed.deployments.find((candidate) => candidate.id === progress.deploymentId);
  if (deployment?.rolloutState === 'FAILED') {
    return { ...progress, state: 'FAILED', reason: deployment.rolloutStateReason ?? 'deployment failed' };
  }
  return deployment?.rolloutState === 'COMPLETED' ? { ...progress, state: 'COMPLETED' } : progress;
}

/** A native deployment's progress: only its service deployment's own status ends it. */
function nativeProgress(progress: ServiceProgress, observed: ObservedServiceDeployment | undefined): ServiceProgress {
  if (!observed || observed.arn !== progress.serviceDeploymentArn) return progress;
  const verdict = nativeVerdict(observed);
  if (verdict.kind === 'succeeded') return { ...progress, state: 'COMPLETED' };
  if (verdict.kind === 'failed') {
    const answer = progress.pauseAnswer;
    const rejected = answer?.action === 'ROLLBACK' ? `approval rejected by ${answer.by}: ` : '';
    return { ...progress, state: 'FAILED', reason: `${rejected}${verdict.reason}` };
  }
  return verdict.stage === undefined ? progress : { ...progress, stage: verdict.stage };
}

/** Timeline lines for native stages newly seen: `watch` and status show each one. */
function stageEntries(
  before: Record<string, ServiceProgress>,
  after: Record<string, ServiceProgress>,
  at: string,
): TimelineEntry[] {
  return Object.entries(after).flatMap(([service, progress]) =>
    progress.stage !== undefined && progress.stage !== before[service]?.stage
      ? [{ at, step: `service ${service}: ${progress.stage}`, detail: progress.serviceDeploymentArn }]
      : [],
  );
}

/** A deployment task passes only if it stopped with its essential container's exit code 0. */
export function taskOutcome(
  progress: TaskProgress,
  observed: ObservedTask | undefined,
  container: string,
): TaskProgress {
  if (progress.state !== 'RUNNING' || observed?.lastStatus !== 'STOPPED') return progress;
  const watched = observed.containers.find((candidate) => candidate.name === container) ?? observed.containers[0];
  const exitCode = watched?.exitCode;
  const stopped = { ...progress, ...(observed.stopCode ? { stopCode: observed.stopCode } : {}) };
  if (observed.stopCode === 'TaskFailedToStart' || exitCode === undefined) {
    return {
      ...stopped,
      state: 'FAILED',
      reason: `task stopped without an exit code: ${observed.stoppedReason ?? observed.stopCode ?? 'no reason given'}`,
    };
  }
  if (exitCode !== 0) {
    return {
      ...stopped,
      state: 'FAILED',
      exitCode,
      reason: `container ${watched?.name ?? container} exited with code ${String(exitCode)}${watched?.reason ? ` (${watched.reason})` : ''}`,
    };
  }
  return { ...stopped, state: 'SUCCEEDED', exitCode };
}

function advance(release: Release, rollout: Rollout, env: Environment, now: Date): RolloutDecision {
  const at = now.toISOString();
  const step = currentStep(rollout);
  const finished = withTimeline(release, [{ at, step: `${step ? stepName(step) : 'step'} done` }]);
  if (rollout.stepIndex + 1 >= rollout.steps.length) return { release: stepsDone(finished, rollout, at), actions: [] };
  const next = { ...finished, rollout: { ...rollout, stepIndex: rollout.stepIndex + 1, stepStartedAt: at } };
  return decideRollout(next, env, {}, now);
}

function decideServices(
  release: Release,
  rollout: Rollout,
  step: Extract<RolloutStep, { kind: 'services' }>,
  env: Environment,
  observation: Observation,
  now: Date,
): RolloutDecision {
  const services = { ...rollout.services };
  const actions: RolloutAction[] = [];
  for (const service of step.services) {
    const progress = serviceProgress(
      services[service] ?? { state: 'PENDING' },
      observation.services?.[service],
      observation.failedDeployment,
    );
    services[service] = progress;
    if (progress.state === 'PENDING') actions.push({ kind: 'rollService', service });
  }
  const staged = withTimeline(release, stageEntries(rollout.services, services, now.toISOString()));
  const updated = { ...staged, rollout: { ...rollout, services } };
  const paused = newPause(env, step, services, observation);
  const gate = env.gates?.approval;
  if (paused && gate)
    return { release: awaitApprovalAtPause(updated, gate, paused.pause, paused.expiresAt, now), actions };
  const failed = step.services.find((service) => services[service]?.state === 'FAILED');
  if (failed)
    return {
      release: failRelease(updated, 'service', `service ${failed}: ${services[failed]?.reason ?? 'failed'}`, now),
      actions: [],
    };
  if (step.services.every((service) => services[service]?.state === 'COMPLETED'))
    return advance(updated, updated.rollout, env, now);
  return { release: updated, actions };
}

/**
 * A native deployment of the step paused at its PAUSE hook and not yet answered: the approval gate
 * waits there (gates.approval.at before-production-traffic). A pause the conductor answered already,
 * read again before ECS moved on, is not awaited twice.
 */
function newPause(
  env: Environment,
  step: Extract<RolloutStep, { kind: 'services' }>,
  services: Record<string, ServiceProgress>,
  observation: Observation,
) {
  if (!approvesAtPause(env.gates)) return undefined;
  for (const service of step.services) {
    const progress = services[service];
    const observed = observation.services?.[service]?.serviceDeployment;
    const pause = awaitingPause(observed);
    if (progress?.state !== 'UPDATING' || !progress.serviceDeploymentArn || !pause) continue;
    if (observed?.arn !== progress.serviceDeploymentArn || progress.pauseAnswer?.hookId === pause.hookId) continue;
    return {
      pause: {
        service,
        serviceDeploymentArn: progress.serviceDeploymentArn,
        hookId: pause.hookId,
        timeoutAction: pause.timeoutAction ?? 'ROLLBACK',
      },
      expiresAt: pause.expiresAt,
    };
  }
  return undefined;
}

/**
 * A release waiting at its native deployment's pause: nothing moves while ECS still awaits the answer
 * (but a watched alarm still fails it). Once the pause ended without the conductor's answer — ECS's
 * timeout, or an answer given in ECS itself — the rollout goes on as ECS says, and the timeline says
 * which; an expiry's failure says so.
 */
function decidePaused(release: Release, env: Environment, observation: Observation, now: Date): RolloutDecision {
  const pending = release.approval;
  const pause = pending?.pause;
  const rollout = release.rollout;
  const step = rollout && currentStep(rollout);
  if (!pending || !pause || !rollout || !step) return { release, actions: [] };
  const tripped = rollout.watch && trippedAlarm(rollout.watch, observation.alarms ?? []);
  if (tripped) return { release: failOnAlarm(release, tripped, stepName(step), now), actions: [] };
  const observed = observation.services?.[pause.service]?.serviceDeployment;
  if (!observed || observed.arn !== pause.serviceDeploymentArn) return { release, actions: [] };
  if (awaitingPause(observed)?.hookId === pause.hookId) return { release, actions: [] };
  const hook = observed.pauses?.find((candidate) => candidate.hookId === pause.hookId);
  const expired = hook?.status === 'TIMED_OUT' || now.getTime() >= Date.parse(pending.expiresAt);
  const at = now.toISOString();
  const entry = expired
    ? {
        at,
        step: 'gate approval expired',
        detail: `no answer by ${pending.expiresAt}; ECS took its timeout action ${hook?.timeoutAction ?? pause.timeoutAction}`,
      }
    : {
        at,
        step: 'gate approval answered in ECS',
        detail: `the pause of ${pause.service} ended without the conductor`,
      };
  const rest = withoutApproval(release);
  const resumed: Release = { ...withTimeline(rest, [entry]), state: 'DEPLOYING' };
  const decision = decideRollout(resumed, env, observation, now);
  const failure = decision.release.failure;
  if (!expired || decision.release.state !== 'FAILED' || !failure) return decision;
  return {
    ...decision,
    release: { ...decision.release, failure: { ...failure, reason: `approval expired: ${failure.reason}` } },
  };
}

function decideTask(
  release: Release,
  rollout: Rollout,
  step: Extract<RolloutStep, { kind: 'task' }>,
  env: Environment,
  observation: Observation,
  now: Date,
): RolloutDecision {
  const container = env.deploymentTasks[step.task]?.container ?? 'app';
  const progress = taskOutcome(rollout.tasks[step.task] ?? { state: 'PENDING' }, observation.task, container);
  const updated = { ...release, rollout: { ...rollout, tasks: { ...rollout.tasks, [step.task]: progress } } };
  if (progress.state === 'FAILED')
    return {
      release: failRelease(updated, 'task', `task ${step.task}: ${progress.reason ?? 'failed'}`, now),
      actions: [],
    };
  if (progress.state === 'SUCCEEDED') return advance(updated, updated.rollout, env, now);
  return { release: updated, actions: progress.state === 'PENDING' ? [{ kind: 'runTask', task: step.task }] : [] };
}

/**
 * The next writes of a DEPLOYING release and its new state, from what ECS reports now. Idempotent:
 * the same observation twice decides the same; a release in any other state is left as it is.
 */
export function decideRollout(
  release: Release,
  env: Environment,
  observation: Observation,
  now: Date,
): RolloutDecision {
  if (release.state === 'BAKING') return { release: decideBake(release, observation.alarms, now), actions: [] };
  if (release.state === 'AWAITING_APPROVAL' && release.approval?.pause)
    return decidePaused(release, env, observation, now);
  const rollout = release.rollout;
  const step = rollout && currentStep(rollout);
  if (release.state !== 'DEPLOYING' || !rollout || !step) return { release, actions: [] };
  const tripped = rollout.watch && trippedAlarm(rollout.watch, observation.alarms ?? []);
  if (tripped) return { release: failOnAlarm(release, tripped, stepName(step), now), actions: [] };
  const elapsedMinutes = (now.getTime() - Date.parse(rollout.stepStartedAt)) / 60_000;
  const decision =
    step.kind === 'services'
      ? decideServices(release, rollout, step, env, observation, now)
      : decideTask(release, rollout, step, env, observation, now);
  const timeout = stepTimeoutMinutes(env, step);
  if (
    decision.release.state === 'DEPLOYING' &&
    decision.release.rollout?.stepIndex === rollout.stepIndex &&
    elapsedMinutes > timeout
  ) {
    return {
      release: failRelease(
        decision.release,
        'timeout',
        `${stepName(step)} did not finish within ${plural(timeout, 'minute')}`,
        now,
      ),
      actions: [],
    };
  }
  return decision;
}
