import type { ApiRoute } from './api-routes.js';

/**
 * What the console server tells the page at start (`GET /console/session`): which API it talks to,
 * that API's routes (actions the API lacks are not offered), and the rollout plans it knows.
 */

/** One step of a rollout plan, in the words of src/domain/rollout.ts. */
export type PlanStep = { kind: 'services'; services: string[] } | { kind: 'task'; task: string };

export interface EnvironmentPlan {
  /** The routine rollout's steps, in order. */
  steps: PlanStep[];
  /** Deployment tasks a deploy may run instead of the routine one, each with its plan; destructive ones need the name typed. */
  tasks: { name: string; destructive: boolean; steps: PlanStep[] }[];
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
