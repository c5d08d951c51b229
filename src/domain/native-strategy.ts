/**
 * The settings of an ECS-native blue/green, linear or canary deployment, and the stage the
 * conductor's hook answers. Data only, so that environment.ts can hold them (native-deployment.ts
 * decides with them).
 */

export const NATIVE_STRATEGIES = ['BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type NativeStrategyType = (typeof NATIVE_STRATEGIES)[number];

/** An HTTP GET through the test listener, answered before production traffic moves. */
export interface SmokeCheck {
  /** The test listener's base URL as the hook Lambda reaches it, e.g. `http://internal-alb:8080`. */
  testListenerUrl: string;
  path: string;
  expectedStatus: number;
  /** Seconds one request may take. */
  timeoutSeconds: number;
  /** Invocations that may find the listener unreachable (ECS calls again after `retryDelaySeconds`) before FAILED. */
  attempts: number;
  retryDelaySeconds: number;
}

export interface NativeStrategy {
  type: NativeStrategyType;
  /** Minutes blue and green both run after production traffic moved (ECS's bakeTimeInMinutes). */
  bakeTimeInMinutes: number;
  canary?: { percent: number; bakeTimeInMinutes: number } | undefined;
  linear?: { stepPercent: number; stepBakeTimeInMinutes: number } | undefined;
  /** The load balancer's second target group: green registers there. */
  alternateTargetGroupArn: string;
  /** ALB listener rule (or NLB listener) that carries production traffic. */
  productionListenerRule: string;
  /** ALB listener rule (or NLB listener) that carries test traffic to green. */
  testListenerRule?: string | undefined;
  /** The infrastructure role ECS assumes to move the load balancer's traffic. */
  roleArn: string;
  smokeCheck?: SmokeCheck | undefined;
}

/**
 * The stage the conductor's hook answers: after test traffic reaches green and before any
 * production traffic does, so a FAILED answer rolls back with blue still serving every user.
 */
export const SMOKE_CHECK_STAGE = 'POST_TEST_TRAFFIC_SHIFT' as const;

/**
 * Where production's approval pauses a native deployment (gates.approval.at before-production-traffic):
 * the same stage as the smoke check — ECS completes both there — with green on the test listener and
 * production untouched (ECS refuses a PAUSE at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT).
 */
export const APPROVAL_PAUSE_STAGE = SMOKE_CHECK_STAGE;

/** The lifecycle stages at which ECS invokes the conductor's hook Lambda for this strategy. */
export function hookStages(strategy: NativeStrategy): (typeof SMOKE_CHECK_STAGE)[] {
  return strategy.smokeCheck ? [SMOKE_CHECK_STAGE] : [];
}
