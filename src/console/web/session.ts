import type { RolloutStep } from '../../domain/rollout-state.js';

/**
 * What the console server tells the page at start (`GET /console/session`): which API it talks to,
 * that API's routes (actions the API lacks are not offered), and the rollout plans it knows.
 */

/** One of the API's own routes, as its OpenAPI document lists it (console/api-routes.ts reads them). */
export interface ApiRoute {
  method: string;
  /** API Gateway style, e.g. `/environments/{env}`. */
  path: string;
}

export interface EnvironmentPlan {
  /** The routine rollout's steps, in order. */
  steps: RolloutStep[];
  /** Deployment tasks a deploy may run instead of the routine one, each with its plan; destructive ones need the name typed. */
  tasks: { name: string; destructive: boolean; steps: RolloutStep[] }[];
}

export interface ConsoleSession {
  /** `region`: where a SigV4-signed API (and so its builds' and tasks' logs) lives. */
  api: { url: string; auth: 'token' | 'sigv4' | 'none'; region?: string };
  routes: ApiRoute[];
  /** Set when the API's routes could not be read: the page shows it and offers nothing. */
  error?: { code: string; message: string };
  /** Plans by environment, from the conductor config the console was given (`--config`); empty without one. */
  plans: Record<string, EnvironmentPlan>;
  /** Where `plans` came from, e.g. `conductor.yml`. */
  plansFrom?: string;
}
