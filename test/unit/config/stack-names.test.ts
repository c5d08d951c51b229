import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../scripts/lib/emulator-templates.js';
import { ConfigError, parseConductorConfig } from '../../../src/config/load.js';
import type { StackNameSource } from '../../../src/config/stack-context.js';
import { resolveStackNames } from '../../../src/config/stack-names.js';
import type { StackFacts, StackResource } from '../../../src/config/stack-rules.js';
import { withStackStandIns } from '../../../src/config/stack-stand-ins.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const ECS_STACK = 'c4-ecs-cgap-supertest-stack';
const CLUSTER = `${ECS_STACK}-cgapDockerClusterForCgapSupertest-3JLC6XXO29W7`;

const resource = (logicalId: string, type: string, physicalId: string): StackResource => ({
  logicalId,
  type,
  physicalId,
});
const service = (logicalId: string, suffix: string) =>
  resource(logicalId, 'AWS::ECS::Service', `${ARN}:service/${CLUSTER}/${ECS_STACK}-${logicalId}-${suffix}`);
const taskDefinition = (logicalId: string, suffix: string) =>
  resource(logicalId, 'AWS::ECS::TaskDefinition', `${ARN}:task-definition/${ECS_STACK}-${logicalId}-${suffix}:3`);

/**
 * 4dn-cloud-infra's ECS stack as CloudFormation lists it (its logical ids checked against the generated
 * template below): network and role come from its linked stacks.
 */
function ecsStack(overrides: Partial<StackFacts> = {}): StackFacts {
  return {
    name: ECS_STACK,
    status: 'UPDATE_COMPLETE',
    parameters: {
      ECRStackNameParameter: 'c4-ecr-main-stack',
      IAMStackNameParameter: 'c4-iam-main-stack',
      LoggingStackNameParameter: 'c4-logging-main-stack',
      NetworkStackNameParameter: 'c4-network-main-stack',
      WebWorkerPort: '8000',
    },
    outputs: [{ key: 'ECSApplicationURLcgapsupertest', value: 'http://cgap-supertest.example' }],
    resources: [
      resource('cgapDockerClusterForCgapSupertest', 'AWS::ECS::Cluster', CLUSTER),
      taskDefinition('cgapportal', 'aB1'),
      taskDefinition('cgapIndexer', 'cD2'),
      taskDefinition('cgapIngester', 'eF3'),
      taskDefinition('cgapDeployment', 'gH4'),
      taskDefinition('cgapInitialDeployment', 'uhQKq2UsJoPx'),
      service('cgapportalService', 'VJ33'),
      service('cgapIndexerService', 'USSF'),
      service('cgapIngesterService', 'L9UR'),
      resource('C4ECSCgapSupertestContainerSecurityGroup', 'AWS::EC2::SecurityGroup', 'sg-0c0c0c0c0c0c0c0c0'),
    ],
    ...overrides,
  };
}

/** An output as 4dn-cloud-infra's account-wide stacks write it: `C4NetworkMain<Name>`, exported as `<stack>-<Name>`. */
const exported = (stack: string, name: string, value: string) => ({
  key: `${stack === 'c4-iam-main-stack' ? 'C4IAMMain' : 'C4NetworkMain'}${name}`,
  value,
  exportName: `${stack}-${name}`,
});

const networkStack: StackFacts = {
  name: 'c4-network-main-stack',
  status: 'CREATE_COMPLETE',
  parameters: {},
  resources: [],
  outputs: [
    exported('c4-network-main-stack', 'PrivateSubnetA', 'subnet-0aaaaaaaaaaaaaaaa'),
    exported('c4-network-main-stack', 'PrivateSubnetB', 'subnet-0bbbbbbbbbbbbbbbb'),
    exported('c4-network-main-stack', 'PublicSubnetA', 'subnet-0ffffffffffffffff'),
    exported('c4-network-main-stack', 'DBSecurityGroup', 'sg-0dddddddddddddddd'),
    exported('c4-network-main-stack', 'ApplicationSecurityGroup', 'sg-0eeeeeeeeeeeeeeee'),
  ],
};

const iamStack: StackFacts = {
  name: 'c4-iam-main-stack',
  status: 'CREATE_COMPLETE',
  parameters: {},
  resources: [],
  outputs: [
    exported('c4-iam-main-stack', 'ECSAssumedIAMRole', 'c4-iam-main-stack-CGAPECSRole-1ABC'),
    exported('c4-iam-main-stack', 'ECSInstanceProfile', 'c4-iam-main-stack-CGAPECSInstanceProfile-1ABC'),
  ],
};

/** The templates 4dn-cloud-infra generates for cgap-supertest (test/fixtures/cgap/generate.sh). */
const generated = (stack: string) =>
  parseTemplate(readFileSync(`test/fixtures/cgap/infra/cgap-supertest/${stack}.yml`, 'utf8')) as {
    Parameters?: Record<string, unknown>;
    Resources: Record<string, { Type: string }>;
    Outputs: Record<string, { Export?: { Name?: { 'Fn::Sub'?: string } } }>;
  };

describe('the stack facts below', () => {
  it("are those of 4dn-cloud-infra's generated templates: logical ids, types, parameters, output keys and exports", () => {
    const ecs = generated(ECS_STACK);
    const named = new Set(['AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition']);
    const real = Object.entries(ecs.Resources)
      .filter(([, resource]) => named.has(resource.Type))
      .map(([logicalId, resource]) => `${logicalId} ${resource.Type}`);
    const facts = ecsStack().resources.filter((r) => named.has(r.type));
    expect(facts.map((r) => `${r.logicalId} ${r.type}`).sort()).toEqual(real.sort());
    expect(Object.keys(ecsStack().parameters).sort()).toEqual(Object.keys(ecs.Parameters ?? {}).sort());
    for (const stack of [networkStack, iamStack]) {
      const outputs = generated(stack.name).Outputs;
      for (const output of stack.outputs) {
        const exportName = outputs[output.key]?.Export?.Name?.['Fn::Sub'];
        expect(exportName?.replace('${AWS::StackName}', stack.name)).toBe(output.exportName);
      }
    }
  });
});

/** The port over fixed stacks and queues, recording what was read. */
function fakeSource(stacks: StackFacts[], queues: string[] = ['cgap-supertest-ingestion-queue']) {
  const reads: string[] = [];
  const source: StackNameSource = {
    readStack: (name) => {
      reads.push(name);
      return Promise.resolve(stacks.find((stack) => stack.name === name));
    },
    queueExists: (name) => Promise.resolve(queues.includes(name)),
  };
  return { source, reads };
}

/** The example's environment: only the stack and what is not a generated name. */
function adopting(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environments: {
      'cgap-supertest': {
        stack: ECS_STACK,
        repository: 'cgap-supertest',
        codebuild: { project: 'cgap-supertest' },
        services: {
          wsgi: { container: 'portal', desiredCount: 2 },
          indexer: { container: 'Indexer', desiredCount: 4 },
          ingester: { container: 'Ingester', desiredCount: 1 },
        },
        deploymentTasks: {
          deployment: { container: 'DeploymentAction' },
          'initial-deployment': { container: 'DeploymentAction', destructive: true },
        },
        queues: { ingestion: { service: 'ingester', minTasks: 0, maxTasks: 4 } },
        ...overrides,
      },
    },
  };
}

async function problemsOf(document: unknown, stacks: StackFacts[], queues?: string[]): Promise<string[]> {
  try {
    await resolveStackNames(document, fakeSource(stacks, queues).source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('resolved without problems');
}

const at = 'environments.cgap-supertest';

describe('names from the stack', () => {
  it('gives the hook Lambda the network the stack gives the deployment task (deploymentHook.networkOf)', async () => {
    const { document } = await resolveStackNames(
      { ...adopting(), deploymentHook: { networkOf: 'cgap-supertest' } },
      fakeSource([ecsStack(), networkStack, iamStack]).source,
    );
    expect(parseConductorConfig(document).deploymentHook).toEqual({
      subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      securityGroupIds: ['sg-0dddddddddddddddd', 'sg-0eeeeeeeeeeeeeeee'],
    });
  });

  it('fills every generated name of a 4dn-cloud-infra environment from its stack and the stacks it links', async () => {
    const { document, names } = await resolveStackNames(
      adopting(),
      fakeSource([ecsStack(), networkStack, iamStack]).source,
    );

    const env = parseConductorConfig(document).environments['cgap-supertest'];
    expect(env?.stack).toBe(ECS_STACK);
    expect(env?.cluster).toBe(CLUSTER);
    expect(env?.services.wsgi).toMatchObject({
      service: `${ECS_STACK}-cgapportalService-VJ33`,
      taskDefinitionFamily: `${ECS_STACK}-cgapportal-aB1`,
      container: 'portal',
    });
    expect(env?.services.indexer?.service).toBe(`${ECS_STACK}-cgapIndexerService-USSF`);
    expect(env?.services.ingester?.taskDefinitionFamily).toBe(`${ECS_STACK}-cgapIngester-eF3`);
    expect(env?.deploymentTasks.deployment?.taskDefinition).toBe(`${ECS_STACK}-cgapDeployment-gH4`);
    expect(env?.deploymentTasks['initial-deployment']?.taskDefinition).toBe(
      `${ECS_STACK}-cgapInitialDeployment-uhQKq2UsJoPx`,
    );
    expect(env?.deploymentTasks.deployment?.network).toEqual({
      subnets: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      securityGroups: ['sg-0dddddddddddddddd', 'sg-0eeeeeeeeeeeeeeee'],
      assignPublicIp: false,
    });
    expect(env?.taskRoles).toEqual(['c4-iam-main-stack-CGAPECSRole-1ABC']);
    expect(env?.queues.ingestion?.queue).toBe('cgap-supertest-ingestion-queue');
    expect(names.find((name) => name.path === `${at}.services.wsgi.service`)?.from).toBe(
      `resource cgapportalService of stack ${ECS_STACK}`,
    );
    expect(names.find((name) => name.path === `${at}.deploymentTasks.deployment.network.subnets`)?.from).toBe(
      'outputs of stack c4-network-main-stack',
    );
    expect(names.find((name) => name.path === `${at}.queues.ingestion.queue`)?.from).toMatch(/^SQS/);
  });

  it('keeps what is written by hand, takes a named stack resource, and leaves other environments alone', async () => {
    const blueGreen = ecsStack();
    blueGreen.resources.push(service('cgapportalServiceblue', 'BLU3'), taskDefinition('cgapportalblue', 'bl1'));
    const document = adopting({
      cluster: 'hand-written-cluster',
      services: {
        wsgi: { container: 'portal', desiredCount: 2, stackResource: 'cgapportalServiceblue' },
        indexer: { service: 'hand-written-indexer', desiredCount: 4 },
      },
      deploymentTasks: {
        deployment: { network: { subnets: ['subnet-01234567'] }, stackResource: 'cgapInitialDeployment' },
      },
      queues: {},
      taskRoles: ['my-role'],
    });
    const other = { repository: 'x', codebuild: { project: 'x' }, cluster: 'x', services: {} };
    (document.environments as Record<string, unknown>).plain = other;

    const { document: resolved } = await resolveStackNames(
      document,
      fakeSource([blueGreen, networkStack, iamStack]).source,
    );

    const config = parseConductorConfig(resolved);
    const env = config.environments['cgap-supertest'];
    expect(env?.cluster).toBe('hand-written-cluster');
    expect(env?.services.wsgi?.service).toBe(`${ECS_STACK}-cgapportalServiceblue-BLU3`);
    expect(env?.services.wsgi?.taskDefinitionFamily).toBe(`${ECS_STACK}-cgapportalblue-bl1`);
    expect(env?.services.indexer?.service).toBe('hand-written-indexer');
    expect(env?.services.indexer?.taskDefinitionFamily).toBeUndefined();
    expect(env?.deploymentTasks.deployment?.taskDefinition).toBe(`${ECS_STACK}-cgapInitialDeployment-uhQKq2UsJoPx`);
    expect(env?.deploymentTasks.deployment?.network.subnets).toEqual(['subnet-01234567']);
    expect(env?.deploymentTasks.deployment?.network.securityGroups).toEqual([
      'sg-0dddddddddddddddd',
      'sg-0eeeeeeeeeeeeeeee',
    ]);
    expect(env?.taskRoles).toEqual(['my-role']);
    expect(config.environments.plain?.cluster).toBe('x');
  });

  it('takes the queue from the stack when it holds it, and network outputs from the stack itself first', async () => {
    const { document } = await resolveStackNames(
      adopting(),
      fakeSource(
        [
          ecsStack({
            parameters: {},
            outputs: networkStack.outputs.concat(iamStack.outputs),
            resources: [
              ...ecsStack().resources,
              resource(
                'IngestionQueue',
                'AWS::SQS::Queue',
                'https://sqs.us-east-1.amazonaws.com/123456789012/cgap-supertest-ingestion-queue',
              ),
            ],
          }),
        ],
        [],
      ).source,
    );
    const env = parseConductorConfig(document).environments['cgap-supertest'];
    expect(env?.queues.ingestion?.queue).toBe('cgap-supertest-ingestion-queue');
    expect(env?.deploymentTasks.deployment?.network.subnets).toEqual([
      'subnet-0aaaaaaaaaaaaaaaa',
      'subnet-0bbbbbbbbbbbbbbbb',
    ]);
  });

  it('changes nothing when resolved twice', async () => {
    const { source } = fakeSource([ecsStack(), networkStack, iamStack]);
    const once = await resolveStackNames(adopting(), source);
    const twice = await resolveStackNames(once.document, source);
    expect(twice.document).toEqual(once.document);
    expect(twice.names).toEqual([]);
  });

  it('reads the linked stacks only when an output is needed', async () => {
    const { source, reads } = fakeSource([ecsStack()]);
    await resolveStackNames(adopting({ deploymentTasks: {}, queues: {}, taskRoles: [] }), source);
    expect(reads).toEqual([ECS_STACK]);
  });
});

describe('names from the stack: problems name the stack, what is missing and the config path', () => {
  it('reports a missing stack and one that failed to create', async () => {
    expect(await problemsOf(adopting({ region: 'eu-west-1' }), [])).toEqual([
      `${at}.stack: CloudFormation stack "${ECS_STACK}" does not exist in eu-west-1`,
    ]);
    expect(await problemsOf(adopting(), [ecsStack({ status: 'ROLLBACK_COMPLETE' })])).toEqual([
      `${at}.stack: CloudFormation stack "${ECS_STACK}" is ROLLBACK_COMPLETE`,
    ]);
  });

  it('lists every missing resource, output and queue at once', async () => {
    const bare = ecsStack({
      parameters: { NetworkStackNameParameter: 'c4-network-gone' },
      resources: ecsStack().resources.filter(
        (candidate) => !['cgapIndexerService', 'cgapIngester'].includes(candidate.logicalId),
      ),
    });
    const problems = await problemsOf(adopting(), [bare], []);
    expect(problems).toEqual([
      `${at}.services.indexer.service: stack ${ECS_STACK}: no single AWS::ECS::Service whose logical id ends in "IndexerService" (none does; it has: cgapportalService, cgapIngesterService); name it with stackResource`,
      `${at}.services.ingester.taskDefinitionFamily: stack ${ECS_STACK} has no AWS::ECS::TaskDefinition "cgapIngester" (it has: cgapportal, cgapIndexer, cgapDeployment, cgapInitialDeployment); set taskDefinitionFamily`,
      `${at}.deploymentTasks.deployment.network.subnets: no output whose name ends in "PrivateSubnetA" or "PrivateSubnetB" in stacks ${ECS_STACK}, c4-network-gone (not found); set subnets`,
      `${at}.deploymentTasks.deployment.network.securityGroups: no output whose name ends in "DBSecurityGroup" or "ApplicationSecurityGroup" in stacks ${ECS_STACK}, c4-network-gone (not found); set securityGroups`,
      `${at}.deploymentTasks.initial-deployment.network.subnets: no output whose name ends in "PrivateSubnetA" or "PrivateSubnetB" in stacks ${ECS_STACK}, c4-network-gone (not found); set subnets`,
      `${at}.deploymentTasks.initial-deployment.network.securityGroups: no output whose name ends in "DBSecurityGroup" or "ApplicationSecurityGroup" in stacks ${ECS_STACK}, c4-network-gone (not found); set securityGroups`,
      `${at}.queues.ingestion.queue: stack ${ECS_STACK} holds no AWS::SQS::Queue named "cgap-supertest-ingestion-queue" and SQS has no such queue; set queue, or stackResource to the logical id of the stack's queue`,
    ]);
  });

  it('prefers {KIND}{Word} when several logical ids end in the word, and asks for stackResource when that does not decide', async () => {
    const twoKinds = ecsStack();
    twoKinds.resources.push(service('FFportalService', 'y'));
    const { document } = await resolveStackNames(
      adopting({ deploymentTasks: {}, queues: {} }),
      fakeSource([twoKinds, iamStack]).source,
    );
    expect(parseConductorConfig(document).environments['cgap-supertest']?.services.wsgi?.service).toBe(
      `${ECS_STACK}-cgapportalService-VJ33`,
    );

    const noKind = ecsStack();
    noKind.resources = noKind.resources.map((candidate) =>
      candidate.type === 'AWS::ECS::Cluster' ? { ...candidate, logicalId: 'Cluster' } : candidate,
    );
    noKind.resources.push(service('FFportalService', 'y'));
    const problems = await problemsOf(
      adopting({
        services: {
          wsgi: { desiredCount: 2 },
          indexer: { desiredCount: 1, stackResource: 'NoSuchService' },
          ingester: { desiredCount: 1, service: 'named', stackResource: 'cgapIngesterService' },
        },
        deploymentTasks: {},
        queues: {},
      }),
      [noKind, iamStack],
    );
    expect(problems).toEqual([
      `${at}.services.wsgi.service: stack ${ECS_STACK}: no single AWS::ECS::Service whose logical id ends in "portalService" (cgapportalService, FFportalService all do; it has: cgapportalService, cgapIndexerService, cgapIngesterService, FFportalService); name it with stackResource`,
      `${at}.services.indexer.service: stack ${ECS_STACK} has no AWS::ECS::Service "NoSuchService" (it has: cgapportalService, cgapIndexerService, cgapIngesterService, FFportalService)`,
      `${at}.services.ingester: set service or stackResource, not both`,
    ]);
  });

  it('needs exactly one cluster in the stack unless the cluster is written by hand', async () => {
    const twoClusters = ecsStack();
    twoClusters.resources.push(resource('OtherCluster', 'AWS::ECS::Cluster', 'other'));
    const document = adopting({ deploymentTasks: {}, queues: {} });
    expect(await problemsOf(document, [twoClusters, iamStack])).toEqual([
      `${at}.cluster: stack ${ECS_STACK} must hold exactly one AWS::ECS::Cluster to name the cluster (it has: cgapDockerClusterForCgapSupertest, OtherCluster)`,
    ]);
  });

  it('refuses stackResource in an environment that names no stack', async () => {
    const document = adopting({ stack: undefined, services: { wsgi: { desiredCount: 1, stackResource: 'X' } } });
    expect(await problemsOf(document, [])).toContain(
      `${at}.services.wsgi.stackResource: needs the environment's stack`,
    );
    const named = adopting({
      services: { wsgi: { desiredCount: 1, stackResource: 'has-dash' } },
      deploymentTasks: {},
      queues: {},
    });
    expect(await problemsOf(named, [ecsStack(), iamStack])).toEqual([
      `${at}.services.wsgi.stackResource: must be the logical id of a resource of stack ${ECS_STACK}`,
    ]);
  });
});

describe('offline validation of a config that takes names from a stack', () => {
  it('checks everything else with stand-ins for the names', () => {
    expect(() => parseConductorConfig(withStackStandIns(adopting()))).not.toThrow();
    expect(() =>
      parseConductorConfig(
        withStackStandIns(adopting({ queues: { ingestion: { service: 'nope', minTasks: 0, maxTasks: 1 } } })),
      ),
    ).toThrow(/queues\.ingestion\.service: unknown service "nope"/);
  });
});
