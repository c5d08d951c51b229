import { environmentsOf, objectEntries, type DocumentObject } from './document.js';
import { ConfigError } from './errors.js';
import type { EnvironmentContext, ResolvedName, StackNameSource } from './stack-context.js';
import { resolveEnvironment } from './stack-environment.js';
import { linkedStackNames, unusableStatus, type StackFacts } from './stack-rules.js';

/**
 * Names from the stack: an environment that names its CloudFormation stack (`stack:`) may leave out
 * the names CloudFormation generated (cluster, services and their task-definition families,
 * deployment task definitions, network, queues, task role); they are taken from the stack before
 * the config is validated, at packaging and in local mode. What is written by hand is kept.
 */

export interface StackResolution {
  document: unknown;
  names: ResolvedName[];
}

/** Environments that name a stack: environment → stack. */
export function stackEnvironments(document: unknown): Record<string, string> {
  return Object.fromEntries(
    environmentsOf(document).flatMap(([name, env]) => (typeof env.stack === 'string' ? [[name, env.stack]] : [])),
  );
}

/** The document with every name its environments take from their stacks; ConfigError lists every one missing. */
export async function resolveStackNames(document: unknown, source: StackNameSource): Promise<StackResolution> {
  const resolved = structuredClone(document);
  const names: ResolvedName[] = [];
  const problems: string[] = [];
  for (const [name, env] of environmentsOf(resolved)) {
    const at = `environments.${name}`;
    const region = typeof env.region === 'string' ? env.region : undefined;
    if (typeof env.stack !== 'string') {
      problems.push(...strayStackResources(env, at));
      continue;
    }
    const stack = await source.readStack(env.stack, region);
    if (!stack || unusableStatus(stack)) {
      const state = stack ? `is ${stack.status}` : 'does not exist';
      problems.push(`${at}.stack: CloudFormation stack "${env.stack}" ${state}${region ? ` in ${region}` : ''}`);
      continue;
    }
    const outputStacks = linkedOutputStacks(stack, source, region);
    await resolveEnvironment({ at, name, region, stack, source, names, problems, outputStacks }, env);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { document: resolved, names };
}

/** `stackResource` means nothing without the environment's stack. */
function strayStackResources(env: DocumentObject, at: string): string[] {
  return (['services', 'deploymentTasks', 'queues'] as const).flatMap((section) =>
    objectEntries(env[section])
      .filter(([, item]) => item.stackResource !== undefined)
      .map(([key]) => `${at}.${section}.${key}.stackResource: needs the environment's stack`),
  );
}

/** Reads the stacks named by the stack's `*StackNameParameter` parameters on first use. */
function linkedOutputStacks(
  stack: StackFacts,
  source: StackNameSource,
  region: string | undefined,
): EnvironmentContext['outputStacks'] {
  let read: Promise<{ stacks: StackFacts[]; searched: string }> | undefined;
  return () => {
    read ??= (async () => {
      const linked = await Promise.all(
        linkedStackNames(stack).map(async (name) => ({ name, facts: await source.readStack(name, region) })),
      );
      const stacks = [stack, ...linked.flatMap(({ facts }) => (facts ? [facts] : []))];
      const searched = [stack.name, ...linked.map(({ name, facts }) => (facts ? name : `${name} (not found)`))];
      return { stacks, searched: searched.join(', ') };
    })();
    return read;
  };
}
