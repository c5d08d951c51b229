import { isObject, type DocumentObject } from './document.js';
import type { EnvironmentContext } from './stack-context.js';
import { NETWORK_OUTPUTS, TASK_ROLE_OUTPUT, outputEndingIn } from './stack-rules.js';

/**
 * Names that 4dn-cloud-infra's ECS stack imports from its network and IAM stacks: looked up among
 * the outputs of the stack and of the stacks it names in parameters, as those stacks export them.
 */

/** Fills a deployment task's subnets and security groups that are not written by hand. */
export async function resolveNetwork(context: EnvironmentContext, task: DocumentObject, path: string): Promise<void> {
  if (task.network !== undefined && !isObject(task.network)) return; // the schema reports it
  const network: DocumentObject = task.network ?? {};
  for (const field of ['subnets', 'securityGroups'] as const) {
    if (network[field] !== undefined) continue;
    const { stacks, searched } = await context.outputStacks();
    const found = NETWORK_OUTPUTS[field].map((suffix) => ({ suffix, output: outputEndingIn(stacks, suffix) }));
    const missing = found.filter(({ output }) => !output).map(({ suffix }) => `"${suffix}"`);
    if (missing.length > 0) {
      context.problems.push(
        `${path}.${field}: no output whose name ends in ${missing.join(' or ')} in stacks ${searched}; set ${field}`,
      );
      continue;
    }
    const values = found.map(({ output }) => output?.value ?? '');
    network[field] = values;
    const from = [...new Set(found.map(({ output }) => output?.stack))].join(', ');
    context.names.push({ path: `${path}.${field}`, value: values, from: `outputs of stack ${from}` });
  }
  task.network = network;
}

/** The role every task runs as, which the conductor must be allowed to pass; left out if no stack outputs it. */
export async function resolveTaskRoles(context: EnvironmentContext, env: DocumentObject): Promise<void> {
  if (env.taskRoles !== undefined) return;
  const { stacks } = await context.outputStacks();
  const role = outputEndingIn(stacks, TASK_ROLE_OUTPUT);
  if (!role) return;
  env.taskRoles = [role.value];
  context.names.push({ path: `${context.at}.taskRoles`, value: [role.value], from: `outputs of stack ${role.stack}` });
}
