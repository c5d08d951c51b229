/**
 * A rollout's recorded state, as a release carries it: its plan of steps and each service's and
 * task's progress. Data only, so that release.ts and rollout.ts can both use it (rollout.ts moves it).
 */
import type { GatePass } from './gates.js';
export type RolloutStep = { kind: 'services'; services: string[] } | { kind: 'task'; task: string };
export type RolloutKind = 'deploy' | 'rollback' | 'rerun';

export interface ServiceProgress {
  state: 'PENDING' | 'UPDATING' | 'COMPLETED' | 'FAILED';
  taskDefinitionArn?: string;
  deploymentId?: string;
  reason?: string;
  /** A native (blue/green, linear, canary) deployment: its service deployment ARN and last stage seen. */
  serviceDeploymentArn?: string;
  stage?: string;
  /** How the conductor answered the deployment's PAUSE hook (approve → CONTINUE, reject → ROLLBACK). */
  pauseAnswer?: { hookId: string; action: 'CONTINUE' | 'ROLLBACK'; by: string };
}

export interface TaskProgress {
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  taskDefinitionArn?: string;
  taskArn?: string;
  exitCode?: number;
  stopCode?: string;
  reason?: string;
}

/** The CloudWatch alarms a deploy's rollout watches through its steps and the bake after them (domain/alarm-watch.ts). */
export interface AlarmWatch {
  alarms: string[];
  /** When the watch began (the rollout's start): an alarm in ALARM since before then is not this release's doing. */
  since: string;
  bakeMinutes: number;
  /** When the bake ends; set as the last step is done and the release starts BAKING. */
  bakeUntil?: string;
}

export interface Rollout {
  kind: RolloutKind;
  /** Counts rollouts of this release, so a re-deploy never reuses an earlier attempt's client tokens. */
  attempt: number;
  steps: RolloutStep[];
  stepIndex: number;
  stepStartedAt: string;
  services: Record<string, ServiceProgress>;
  tasks: Record<string, TaskProgress>;
  triggeredBy: string;
  /** For a rollback: the release being rolled back. */
  rollingBackFrom?: string;
  /** The gates the release passed (or that were overridden) before this rollout started. */
  gates?: GatePass[];
  /** The CloudWatch alarms watched through the steps and the bake after them (deploys only, domain/alarm-watch.ts). */
  watch?: AlarmWatch;
  /** Holder of the environment's rollout lock (`<releaseId>@<request>`), freed when the rollout ends. */
  lockOwner: string;
}
