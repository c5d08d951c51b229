import { nameOf, queueName, taskDefinitionFamily } from '../domain/names.js';

/**
 * How the resources of a 4dn-cloud-infra ECS stack are told apart (src/parts/ecs.py there): the
 * cluster is `{KIND}DockerClusterFor{Env}`, each service `{KIND}{Word}Service` running the task
 * definition `{KIND}{Word}`, the deployment tasks `{KIND}Deployment` and `{KIND}InitialDeployment`;
 * the network and the ECS role are outputs of the network and IAM stacks the ECS stack names in its
 * `*StackNameParameter` parameters. Pure: the facts come from the caller.
 */

/** A resource of a CloudFormation stack: its logical id in the template, its type and physical id. */
export interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
}

export interface StackOutput {
  key: string;
  value: string;
  exportName?: string | undefined;
}

/** What DescribeStacks and ListStackResources tell of one stack. */
export interface StackFacts {
  name: string;
  status: string;
  parameters: Record<string, string>;
  outputs: StackOutput[];
  resources: StackResource[];
}

export const CLUSTER = 'AWS::ECS::Cluster';
export const SERVICE = 'AWS::ECS::Service';
export const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
export const QUEUE = 'AWS::SQS::Queue';

/** Outputs (by how their key or export name ends) that give a deployment task its network. */
export const NETWORK_OUTPUTS = {
  subnets: ['PrivateSubnetA', 'PrivateSubnetB'],
  securityGroups: ['DBSecurityGroup', 'ApplicationSecurityGroup'],
} as const;
/** The output of 4dn-cloud-infra's IAM stack naming the role every task runs as. */
export const TASK_ROLE_OUTPUT = 'ECSAssumedIAMRole';
/** A parameter of the ECS stack that names another stack (network, IAM, ECR, logging). */
export const LINKED_STACK_PARAMETER = /StackNameParameter$/;
/** Stack states in which the resources listed may not exist: being created, failed to create, deleted. */
const UNUSABLE_STATUS = /^(CREATE_(FAILED|IN_PROGRESS)|ROLLBACK_.*|DELETE_.*)$/;

/** The name a physical id stands for, by resource type (ARNs and URLs to names, families without revision). */
export function nameFromPhysicalId(resource: StackResource): string {
  if (resource.type === TASK_DEFINITION) return taskDefinitionFamily(resource.physicalId);
  if (resource.type === QUEUE) return queueName(resource.physicalId);
  return nameOf(resource.physicalId);
}

export function unusableStatus(stack: StackFacts): boolean {
  return UNUSABLE_STATUS.test(stack.status);
}

export function linkedStackNames(stack: StackFacts): string[] {
  return Object.entries(stack.parameters)
    .filter(([key, value]) => LINKED_STACK_PARAMETER.test(key) && value !== '')
    .map(([, value]) => value);
}

const normalized = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** 4dn-cloud-infra's word for a conductor service key, where the two differ. */
const STACK_WORDS: Record<string, string> = { wsgi: 'portal' };

const pascalCase = (key: string) =>
  key
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** `{KIND}` of the stack's resources, from its cluster's logical id (`CGAPDockerClusterFor...` → `CGAP`). */
function kindOf(stack: StackFacts): string {
  const kinds = ofType(stack, CLUSTER).map((cluster) => /^(.*?)DockerClusterFor/.exec(cluster.logicalId)?.[1]);
  return kinds.find((kind) => kind !== undefined) ?? '';
}

export type Match = { resource: StackResource } | { problem: string };

function ofType(stack: StackFacts, type: string): StackResource[] {
  return stack.resources.filter((resource) => resource.type === type);
}

function listed(resources: StackResource[]): string {
  return resources.length === 0 ? 'none' : resources.map((resource) => resource.logicalId).join(', ');
}

export function resourceByLogicalId(stack: StackFacts, type: string, logicalId: string): Match {
  const resource = ofType(stack, type).find((candidate) => candidate.logicalId === logicalId);
  if (resource) return { resource };
  return {
    problem: `stack ${stack.name} has no ${type} "${logicalId}" (it has: ${listed(ofType(stack, type))})`,
  };
}

/** The stack's only cluster. */
export function theCluster(stack: StackFacts): Match {
  const clusters = ofType(stack, CLUSTER);
  const [only] = clusters;
  if (only && clusters.length === 1) return { resource: only };
  return {
    problem: `stack ${stack.name} must hold exactly one ${CLUSTER} to name the cluster (it has: ${listed(clusters)})`,
  };
}

/**
 * The resource of `type` for a config key: the one logical id ending in its word (+ `suffix`), or,
 * when several do (`Deployment`, `InitialDeployment`), the one that is exactly `{KIND}{Word}{suffix}`.
 */
export function resourceForKey(stack: StackFacts, type: string, key: string, suffix = ''): Match {
  const ending = `${STACK_WORDS[key] ?? pascalCase(key)}${suffix}`;
  const wanted = normalized(ending);
  const candidates = ofType(stack, type).filter((resource) => normalized(resource.logicalId).endsWith(wanted));
  const exact = candidates.filter((resource) => normalized(resource.logicalId) === normalized(kindOf(stack)) + wanted);
  const chosen = candidates.length === 1 ? candidates : exact;
  const [only] = chosen;
  if (only && chosen.length === 1) return { resource: only };
  const found = candidates.length === 0 ? 'none does' : `${listed(candidates)} all do`;
  return {
    problem: `stack ${stack.name}: no single ${type} whose logical id ends in "${ending}" (${found}; it has: ${listed(ofType(stack, type))}); name it with stackResource`,
  };
}

/** The task definition a service's logical id implies: `CGAPportalService` runs `CGAPportal`. */
export function taskDefinitionOfService(stack: StackFacts, service: StackResource): Match {
  const match = resourceByLogicalId(stack, TASK_DEFINITION, service.logicalId.replace(/Service(?!.*Service)/, ''));
  return 'problem' in match ? { problem: `${match.problem}; set taskDefinitionFamily` } : match;
}

/** A queue the stack holds under that name. */
export function queueNamed(stack: StackFacts, name: string): StackResource | undefined {
  return ofType(stack, QUEUE).find((resource) => nameFromPhysicalId(resource) === name);
}

/** The value of the first output (in the stacks' order) whose key or export name ends in `suffix`. */
export function outputEndingIn(stacks: StackFacts[], suffix: string): { value: string; stack: string } | undefined {
  for (const stack of stacks) {
    const output = stack.outputs.find((candidate) =>
      [candidate.key, candidate.exportName ?? ''].some((name) => name.endsWith(suffix)),
    );
    if (output) return { value: output.value, stack: stack.name };
  }
  return undefined;
}
