import type { AccessAction, Environment } from './environment.js';

/**
 * The IAM identities a caller's ARN stands for. An assumed-role session
 * (`arn:aws:sts::123:assumed-role/Name/session`) is also its role (`arn:aws:iam::123:role/Name`).
 */
export function principalIdentities(principal: string): string[] {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return session
    ? [principal, `arn:${session[1] ?? 'aws'}:iam::${session[2] ?? ''}:role/${session[3] ?? ''}`]
    : [principal];
}

function patternMatches(pattern: string, identity: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(identity);
}

/** Whether the caller may perform `action` on the environment, per its allow-list (`*` matches any run). */
export function mayPerform(env: Environment, action: AccessAction, principal: string): boolean {
  const identities = principalIdentities(principal);
  return env.access[action].some((pattern) => identities.some((identity) => patternMatches(pattern, identity)));
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
