import type { AccessAction, Environment } from './environment.js';
import { principalListed } from './principals.js';

/** Whether the caller may perform `action` on the environment, per its allow-list. */
export function mayPerform(env: Environment, action: AccessAction, principal: string): boolean {
  return principalListed(env.access[action], principal);
}

/** Who asks: a principal, and whether it is local mode's all-access operator (config/runtime.ts). */
export interface Actor {
  principal: string;
  unrestricted?: true;
}

/** The one access check of the API: the local operator may do everything, anyone else per the allow-list. */
export function actorMay(actor: Actor, env: Environment, action: AccessAction): boolean {
  return actor.unrestricted === true || mayPerform(env, action, actor.principal);
}
