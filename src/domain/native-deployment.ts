/**
 * ECS-native blue/green, linear and canary deployments of a service behind a load balancer: the
 * settings, which lifecycle stage the conductor's hook answers, and how a rollout step reads the
 * service deployment's own status. Pure; the ECS adapter maps these onto UpdateService and
 * DescribeServiceDeployments, the hook use case runs the smoke check.
 */

import type { Environments } from './environment.js';
import { ecsServiceName, nameOf } from './names.js';
import type { Release } from './release.js';
import type { NativeStrategy, SmokeCheck } from './native-strategy.js';

/** ServiceDeployment.status values that end a native step as a failure (ECS rolled back or was stopped). */
export const NATIVE_FAILED_STATUSES = [
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
  'STOPPED',
  'STOP_REQUESTED',
] as const;

/**
 * ECS's lifecycle stages of a native deployment (ServiceDeploymentLifecycleStage), in the order a
 * blue/green deployment passes them: the hookable ones and SCALE_UP, BAKE_TIME and CLEAN_UP, which ECS
 * reports but calls no hook at.
 */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** What DescribeServiceDeployments says about one service deployment. */
export interface ObservedServiceDeployment {
  arn: string;
  /** PENDING, IN_PROGRESS, SUCCESSFUL or one of NATIVE_FAILED_STATUSES. */
  status: string;
  statusReason?: string | undefined;
  /** e.g. TEST_TRAFFIC_SHIFT, BAKE_TIME. */
  lifecycleStage?: string | undefined;
  rollbackReason?: string | undefined;
  /** Its PAUSE lifecycle hooks as ECS reports them (lifecycleHookDetails of targetType PAUSE). */
  pauses?: ObservedPause[] | undefined;
}

/** One PAUSE hook of a service deployment: AWAITING_ACTION until ContinueServiceDeployment or its timeout. */
export interface ObservedPause {
  hookId: string;
  /** AWAITING_ACTION, IN_PROGRESS, SUCCEEDED, FAILED or TIMED_OUT. */
  status: string;
  expiresAt?: string | undefined;
  timeoutAction?: string | undefined;
}

/** The PAUSE hook awaiting an answer, if the deployment is paused at one. */
export function awaitingPause(observed: ObservedServiceDeployment | undefined): ObservedPause | undefined {
  return observed?.pauses?.find((pause) => pause.status === 'AWAITING_ACTION');
}

/** Where a native deployment stands: still moving (with its stage), or ended. */
export type NativeVerdict =
  | { kind: 'moving'; stage: string | undefined }
  | { kind: 'succeeded' }
  | { kind: 'failed'; reason: string };

/**
 * A native step ends on the service deployment's own status: SUCCESSFUL passes; a rollback or a
 * stop fails it with ECS's reason. Never on a task count or a "completed" deployment alone.
 */
export function nativeVerdict(observed: ObservedServiceDeployment): NativeVerdict {
  if (observed.status === 'SUCCESSFUL') return { kind: 'succeeded' };
  if ((NATIVE_FAILED_STATUSES as readonly string[]).includes(observed.status)) {
    const why = observed.rollbackReason ?? observed.statusReason ?? 'no reason given';
    const what = observed.status.startsWith('ROLLBACK') ? 'ECS rolled the deployment back' : 'the deployment stopped';
    return { kind: 'failed', reason: `${what} (${observed.status}): ${why}` };
  }
  return { kind: 'moving', stage: observed.lifecycleStage };
}

/** What the hook Lambda answers ECS (its documented output). */
export interface HookAnswer {
  hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  /** Seconds before ECS invokes the hook again (IN_PROGRESS only). */
  callBackDelay?: number;
  /** Passed back on the next invocation: how many tries the smoke check has had. */
  hookDetails?: { attempt: number };
}

/** One try of the smoke check: the status the test listener answered, or why it could not be reached. */
export type SmokeResult = { kind: 'answered'; status: number } | { kind: 'unreachable'; error: string };

/**
 * The hook's answer to one smoke check: the expected status passes; any other status fails at once
 * (green answers, wrongly); an unreachable listener is tried again after a delay, `attempts` times
 * in all, then fails — ECS then rolls back before production traffic moves.
 */
export function smokeAnswer(check: SmokeCheck, result: SmokeResult, attempt: number): HookAnswer {
  if (result.kind === 'answered')
    return { hookStatus: result.status === check.expectedStatus ? 'SUCCEEDED' : 'FAILED' };
  if (attempt >= check.attempts) return { hookStatus: 'FAILED' };
  return { hookStatus: 'IN_PROGRESS', callBackDelay: check.retryDelaySeconds, hookDetails: { attempt: attempt + 1 } };
}

/** The timeline line of one smoke check, as `watch` and status show it. */
export function smokeSummary(check: SmokeCheck, result: SmokeResult, answer: HookAnswer): string {
  const seen = result.kind === 'answered' ? String(result.status) : `unreachable: ${result.error}`;
  const verdict =
    answer.hookStatus === 'SUCCEEDED'
      ? 'passed'
      : answer.hookStatus === 'FAILED'
        ? 'failed'
        : `to be tried again in ${String(answer.callBackDelay ?? 0)} s`;
  return `smoke check ${verdict} (${seen} ${check.path}, expected ${String(check.expectedStatus)})`;
}

/**
 * The native deployments a release that ended in failure leaves moving (its step timed out, or
 * another service of the step failed): each is stopped and rolled back (StopServiceDeployment).
 */
export function nativeDeploymentsToStop(release: Release): string[] {
  if (release.state !== 'FAILED') return [];
  return Object.values(release.rollout?.services ?? {}).flatMap((progress) =>
    progress.state === 'UPDATING' && progress.serviceDeploymentArn ? [progress.serviceDeploymentArn] : [],
  );
}

/** The environment and service key of a service ARN (`arn:aws:ecs:…:service/CLUSTER/NAME`), if the conductor rolls it. */
export function serviceOfArn(
  environments: Environments,
  serviceArn: string,
): { environment: string; service: string; strategy: NativeStrategy | undefined } | undefined {
  const [cluster, name] = serviceArn.split(':service/')[1]?.split('/') ?? [];
  if (!cluster || !name) return undefined;
  for (const [environment, env] of Object.entries(environments)) {
    if (nameOf(env.cluster) !== cluster) continue;
    const service = Object.keys(env.services).find((key) => ecsServiceName(env, key) === name);
    if (service) return { environment, service, strategy: env.services[service]?.strategy };
  }
  return undefined;
}
