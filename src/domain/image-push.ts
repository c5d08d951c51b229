import type { Environments } from './environment.js';
import { repositoryName } from './names.js';
import type { Environment } from './environment.js';

/** The facts of an ECR `Image Action` event that decide whether it starts a release build. */
export interface ImageAction {
  action: 'PUSH' | 'DELETE';
  result: string;
  repository: string;
  digest: string;
  tag?: string | undefined;
}

export type PushDecision =
  | { kind: 'build'; environment: string; version: string; digest: string }
  | { kind: 'ignore'; reason: string };

/** The entrypoint suffix a tag ends with; single-image environments push no derived tags. */
function derivedSuffix(env: Environment, tag: string): string | undefined {
  if (env.image.shape === 'single-image') return undefined;
  return env.entrypoints.find((entrypoint) => tag.endsWith(entrypoint.tagSuffix))?.tagSuffix;
}

function decideForEnvironment(name: string, env: Environment, push: ImageAction & { tag: string }): PushDecision {
  // CodeBuild pushes the per-entrypoint images to the same repository: reacting would loop. Tags that
  // are not source tags are ignored in both shapes.
  const suffix = derivedSuffix(env, push.tag);
  if (suffix)
    return { kind: 'ignore', reason: `tag "${push.tag}" is a derived entrypoint tag (suffix ${suffix}) of ${name}` };
  if (!new RegExp(env.sourceTagPattern).test(push.tag)) {
    return { kind: 'ignore', reason: `tag "${push.tag}" does not match ${name}'s sourceTagPattern` };
  }
  return { kind: 'build', environment: name, version: push.tag, digest: push.digest };
}

/**
 * What a push means for each environment: a release build per environment whose repository it is
 * and whose source-tag pattern the tag matches, or one reason it is ignored.
 */
export function decideImagePush(environments: Environments, push: ImageAction): PushDecision[] {
  if (push.action !== 'PUSH') return [{ kind: 'ignore', reason: `${push.action} is not a push` }];
  if (push.result !== 'SUCCESS') return [{ kind: 'ignore', reason: `push result ${push.result}` }];
  const { tag } = push;
  if (tag === undefined || tag === '') return [{ kind: 'ignore', reason: 'untagged manifest' }];
  const owners = Object.entries(environments).filter(([, env]) => repositoryName(env.repository) === push.repository);
  if (owners.length === 0)
    return [{ kind: 'ignore', reason: `repository ${push.repository} belongs to no environment` }];
  return owners.map(([name, env]) => decideForEnvironment(name, env, { ...push, tag }));
}

/**
 * Who holds the build claims a push takes: the push itself, not the invocation, so that a
 * redelivery of the same push (a retry, a duplicate event) takes over the claims of a delivery that
 * failed half-way instead of waiting out their lease.
 */
export function pushClaimOwner(environment: string, digest: string): string {
  return `push:${environment}@${digest}`;
}
