import { emulatorEndpoint } from '../support/aws-env.js';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, venvBin } from '../../scripts/lib/venv.js';
import { readConductorDocument } from '../../src/config/file.js';
import { ConfigError, parseConductorConfig } from '../../src/config/load.js';
import { resolveStackNamesWithAws } from '../../src/packaging/stack-names.js';
import { linkedStacks } from '../fixtures/stacks/linked-stacks.js';
import { packageService, readTemplate, run } from '../support/serverless.js';
import type { Environment } from '../../src/domain/environment.js';

/**
 * Names from the stack against the emulator's CloudFormation: the example's 4dn-cloud-infra-shaped
 * stack, and an ECS stack that takes its network and role from linked stacks as 4dn-cloud-infra's does.
 */

const EXAMPLE = join(PROJECT_ROOT, 'examples', 'cgap-4dn-cloud-infra');
const STACK = 'c4-ecs-stack-cgapsupertest';
const settings = { region: 'us-east-1', endpoint: emulatorEndpoint };
const cloudformation = new CloudFormationClient({});
const ecs = new ECSClient({});
const ec2 = new EC2Client({});
const sqs = new SQSClient({});

async function physicalIds(stack: string): Promise<Record<string, string>> {
  const { StackResourceSummaries = [] } = await cloudformation.send(
    new ListStackResourcesCommand({ StackName: stack }),
  );
  return Object.fromEntries(
    StackResourceSummaries.map((summary) => [summary.LogicalResourceId ?? '', summary.PhysicalResourceId ?? '']),
  );
}

async function outputs(stack: string): Promise<Record<string, string>> {
  const { Stacks = [] } = await cloudformation.send(new DescribeStacksCommand({ StackName: stack }));
  return Object.fromEntries(
    (Stacks[0]?.Outputs ?? []).map((output): [string, string] => [output.OutputKey ?? '', output.OutputValue ?? '']),
  );
}

const family = async (taskDefinition: string) =>
  (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition?.family;

describe('names from the example 4dn-cloud-infra stack', () => {
  let env: Environment;
  let ids: Record<string, string>;

  beforeAll(async () => {
    await cloudformation.send(
      new CreateStackCommand({
        StackName: STACK,
        TemplateBody: readFileSync(join(EXAMPLE, 'stacks', `${STACK}.yml`), 'utf8'),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const { document } = await resolveStackNamesWithAws(
      readConductorDocument(join(EXAMPLE, 'conductor.yml')),
      settings,
    );
    const resolved = parseConductorConfig(document).environments['cgap-supertest'];
    if (!resolved) throw new Error('the example has no cgap-supertest environment');
    env = resolved;
    ids = await physicalIds(STACK);
  });

  it('resolves every generated name to the resource CloudFormation made', async () => {
    expect(env.cluster).toBe(ids.CGAPDockerClusterForCgapsupertest);
    expect(env.cluster).toMatch(new RegExp(`^${STACK}-CGAPDockerClusterForCgapsupertest-[A-Z0-9]+$`));
    const services = { wsgi: 'CGAPportal', indexer: 'CGAPIndexer', ingester: 'CGAPIngester' };
    for (const [key, logicalId] of Object.entries(services)) {
      expect(env.services[key]?.service).toBe(ids[`${logicalId}Service`]?.split('/').pop());
      expect(env.services[key]?.service).toMatch(new RegExp(`^${STACK}-${logicalId}Service-[A-Z0-9]+$`));
      expect(env.services[key]?.taskDefinitionFamily).toBe(await family(ids[logicalId] ?? ''));
    }
    expect(env.deploymentTasks.deployment?.taskDefinition).toBe(await family(ids.CGAPDeployment ?? ''));
    expect(env.deploymentTasks['initial-deployment']?.taskDefinition).toBe(
      await family(ids.CGAPInitialDeployment ?? ''),
    );
    const exported = await outputs(STACK);
    for (const task of Object.values(env.deploymentTasks)) {
      expect(task.network).toEqual({
        subnets: [exported.ExportPrivateSubnetA, exported.ExportPrivateSubnetB],
        securityGroups: [exported.ExportDBSecurityGroup, exported.ExportApplicationSecurityGroup],
        assignPublicIp: false,
      });
    }
    expect(env.taskRoles).toEqual([ids.CGAPECSRole]);
    expect(env.queues.ingestion?.queue).toBe('cgap-supertest-ingestion-queue');
  });

  it('names resources that exist: the services in the cluster, the private network, the 6 h queue', async () => {
    const described = await ecs.send(
      new DescribeServicesCommand({
        cluster: env.cluster,
        services: Object.values(env.services).map((service) => service.service),
      }),
    );
    expect(described.failures).toEqual([]);
    expect(described.services?.map((service) => service.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    const network = env.deploymentTasks.deployment?.network;
    const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: network?.subnets }));
    expect(subnets.Subnets?.map((subnet) => subnet.CidrBlock)).toEqual(['10.2.6.0/24', '10.2.8.0/24']);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: network?.securityGroups }));
    expect(groups.SecurityGroups).toHaveLength(2);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: env.queues.ingestion?.queue }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe(String(360 * 60));
  });

  it('is a template cfn-lint passes', async () => {
    const lint = await run(venvBin('cfn-lint'), ['--', join(EXAMPLE, 'stacks', `${STACK}.yml`)]);
    expect(lint).toEqual({ code: 0, output: '' });
  });

  it('gives the task definitions 4dn-cloud-infra gives them: its containers, application_type and IDENTITY', async () => {
    const containers = [
      [env.services.wsgi?.taskDefinitionFamily, 'portal', 'portal'],
      [env.services.indexer?.taskDefinitionFamily, 'Indexer', 'indexer'],
      [env.services.ingester?.taskDefinitionFamily, 'Ingester', 'ingester'],
      [env.deploymentTasks.deployment?.taskDefinition, 'DeploymentAction', 'deployment'],
    ];
    for (const [taskDefinition, container, applicationType] of containers) {
      const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      const [definition] = described.taskDefinition?.containerDefinitions ?? [];
      expect(definition?.name).toBe(container);
      expect(definition?.environment).toEqual(
        expect.arrayContaining([
          { name: 'application_type', value: applicationType },
          { name: 'IDENTITY', value: 'C4DatastoreCgapSupertestApplicationConfiguration' },
        ]),
      );
    }
  });
});

describe('names from an ECS stack whose network and role come from the stacks it names', () => {
  it('follows its *StackNameParameter parameters to their outputs, and finds the queue in SQS', async () => {
    for (const { name, template, parameters } of linkedStacks) {
      await cloudformation.send(
        new CreateStackCommand({
          StackName: name,
          TemplateBody: JSON.stringify(template),
          Parameters: parameters,
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
    }
    await sqs.send(new CreateQueueCommand({ QueueName: 'ff-linked-ingestion-queue' }));
    const document = {
      environments: {
        'ff-linked': {
          stack: 'c4-ecs-stack-fflinked',
          repository: 'ff-linked',
          codebuild: { project: 'ff-linked' },
          services: { wsgi: { container: 'portal', desiredCount: 1 } },
          deploymentTasks: { deployment: { container: 'DeploymentAction' } },
          queues: { ingestion: { service: 'wsgi', minTasks: 0, maxTasks: 2 } },
        },
      },
    };

    const { document: resolved } = await resolveStackNamesWithAws(document, settings);

    const env = parseConductorConfig(resolved).environments['ff-linked'];
    const network = await outputs('c4-network-fflinked');
    const ecsIds = await physicalIds('c4-ecs-stack-fflinked');
    expect(env?.cluster).toBe(ecsIds.FFDockerClusterForFflinked);
    expect(env?.services.wsgi?.service).toBe(ecsIds.FFportalService?.split('/').pop());
    expect(env?.deploymentTasks.deployment?.network).toMatchObject({
      subnets: [network.C4NetworkExportPrivateSubnetA, network.C4NetworkExportPrivateSubnetB],
      securityGroups: [network.C4NetworkExportDBSecurityGroup, network.C4NetworkExportApplicationSecurityGroup],
    });
    expect(env?.taskRoles).toEqual([(await physicalIds('c4-iam-fflinked')).CGAPECSRole]);
    expect(env?.queues.ingestion?.queue).toBe('ff-linked-ingestion-queue');
  });

  it('fails naming the stack that does not exist and where the config names it', async () => {
    const document = { environments: { gone: { stack: 'c4-ecs-stack-gone', services: {} } } };
    const failure = await resolveStackNamesWithAws(document, settings).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems).toEqual([
      'environments.gone.stack: CloudFormation stack "c4-ecs-stack-gone" does not exist',
    ]);
  });
});

describe('serverless package of a config that takes its names from a stack', () => {
  const credentials = { AWS_ENDPOINT_URL: emulatorEndpoint };

  it('bakes the names CloudFormation generated into the bundles and scopes IAM to them', async () => {
    // The example stack exists: the first describe above created it in this run's emulator.
    const ids = await physicalIds(STACK);
    const result = await packageService(['--param=config=./examples/cgap-4dn-cloud-infra/conductor.yml'], credentials);

    expect(result.output).toContain('Service packaged');
    const reconcileRole = JSON.stringify(readTemplate(result.dir).Resources.ReconcileRole);
    expect(reconcileRole).toContain(
      `service/${ids.CGAPDockerClusterForCgapsupertest ?? '?'}/${STACK}-CGAPportalService-`,
    );
    expect(reconcileRole).toContain(`task-definition/${(await family(ids.CGAPDeployment ?? '')) ?? '?'}:*`);
    expect(reconcileRole).toContain(`role/${ids.CGAPECSRole ?? '?'}`);
    const bundle = execFileSync('unzip', ['-p', join(result.dir, 'autoscale.zip'), 'src/handlers/autoscale.mjs'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(bundle).toContain(`"cluster":"${ids.CGAPDockerClusterForCgapsupertest ?? '?'}"`);
    expect(bundle).not.toContain('stackResource');
  }, 240_000);

  it('fails naming the stack and the config path when the stack does not exist', async () => {
    const result = await packageService(['--param=config=./test/fixtures/config/missing-stack.yml'], credentials);

    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'environments.cgap-gone.stack: CloudFormation stack "c4-ecs-stack-cgapgone" does not exist',
    );
  }, 240_000);
});
