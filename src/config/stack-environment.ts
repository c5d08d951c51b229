import { objectEntries, type DocumentObject } from './document.js';
import type { EnvironmentContext } from './stack-context.js';
import { resolveNetwork, resolveTaskRoles } from './stack-outputs.js';
import {
  QUEUE,
  SERVICE,
  TASK_DEFINITION,
  nameFromPhysicalId,
  queueNamed,
  resourceByLogicalId,
  resourceForKey,
  taskDefinitionOfService,
  theCluster,
  type Match,
  type StackResource,
} from './stack-rules.js';

/** A logical id in a CloudFormation template. */
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

/** Fills the names one environment leaves to its stack; problems go to `context.problems`. */
export async function resolveEnvironment(context: EnvironmentContext, env: DocumentObject): Promise<void> {
  const { at, stack } = context;
  if (env.cluster === undefined) take(context, env, 'cluster', theCluster(stack), `${at}.cluster`);
  for (const [key, service] of objectEntries(env.services)) {
    const path = `${at}.services.${key}`;
    const found = await fill(context, service, 'service', path, SERVICE, () =>
      resourceForKey(stack, SERVICE, key, 'Service'),
    );
    if (found && service.taskDefinitionFamily === undefined) {
      take(
        context,
        service,
        'taskDefinitionFamily',
        taskDefinitionOfService(stack, found),
        `${path}.taskDefinitionFamily`,
      );
    }
  }
  for (const [key, task] of objectEntries(env.deploymentTasks)) {
    const path = `${at}.deploymentTasks.${key}`;
    await fill(context, task, 'taskDefinition', path, TASK_DEFINITION, () =>
      resourceForKey(stack, TASK_DEFINITION, key),
    );
    await resolveNetwork(context, task, `${path}.network`);
  }
  for (const [key, queue] of objectEntries(env.queues)) {
    const path = `${at}.queues.${key}`;
    await fill(context, queue, 'queue', path, QUEUE, () => queueByName(context, `${context.name}-${key}-queue`));
  }
  await resolveTaskRoles(context, env);
}

/** A name found elsewhere than among the stack's resources, and where. */
type Lookup = Match | { value: string; from: string };

/**
 * Fills `field` of a service, task or queue unless written by hand: from the resource its
 * `stackResource` names, else by the rule `byRule`. Returns the stack resource used, if any.
 */
async function fill(
  context: EnvironmentContext,
  item: DocumentObject,
  field: string,
  path: string,
  type: string,
  byRule: () => Lookup | Promise<Lookup>,
): Promise<StackResource | undefined> {
  const { stackResource } = item;
  delete item.stackResource;
  if (item[field] !== undefined) {
    if (stackResource !== undefined) context.problems.push(`${path}: set ${field} or stackResource, not both`);
    return undefined;
  }
  if (stackResource === undefined) return take(context, item, field, await byRule(), `${path}.${field}`);
  if (typeof stackResource !== 'string' || !LOGICAL_ID.test(stackResource)) {
    context.problems.push(`${path}.stackResource: must be the logical id of a resource of stack ${context.stack.name}`);
    return undefined;
  }
  return take(context, item, field, resourceByLogicalId(context.stack, type, stackResource), `${path}.${field}`);
}

/** Sets the name a lookup found, or records its problem at `path`. */
function take(
  context: EnvironmentContext,
  target: DocumentObject,
  field: string,
  lookup: Lookup,
  path: string,
): StackResource | undefined {
  if ('problem' in lookup) {
    context.problems.push(`${path}: ${lookup.problem}`);
    return undefined;
  }
  const value = 'resource' in lookup ? nameFromPhysicalId(lookup.resource) : lookup.value;
  const from =
    'resource' in lookup ? `resource ${lookup.resource.logicalId} of stack ${context.stack.name}` : lookup.from;
  target[field] = value;
  context.names.push({ path, value, from });
  return 'resource' in lookup ? lookup.resource : undefined;
}

/**
 * 4dn-cloud-infra names queues `{env}-{suffix}` in its datastore stack, which the ECS stack does
 * not name: a queue of that name is taken from the stack if it holds one, else from SQS.
 */
async function queueByName(context: EnvironmentContext, name: string): Promise<Lookup> {
  const held = queueNamed(context.stack, name);
  if (held) return { resource: held };
  if (await context.source.queueExists(name, context.region))
    return { value: name, from: "SQS, by 4dn-cloud-infra's naming" };
  return {
    problem: `stack ${context.stack.name} holds no ${QUEUE} named "${name}" and SQS has no such queue; set queue, or stackResource to the logical id of the stack's queue`,
  };
}
