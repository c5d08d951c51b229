import { emulatorEndpoint } from '../support/aws-env.js';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/lib/emulator.js';
import { ensureStacksBeside } from '../../scripts/lib/stacks.js';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import { readConductorDocument } from '../../src/config/file.js';
import { ConfigError, parseConductorConfig } from '../../src/config/load.js';
import { resolveStackNamesWithAws } from '../../src/packaging/stack-names.js';
import { createGithubProject } from '../support/codebuild-project.js';
import { packageService, readTemplate } from '../support/serverless.js';
import type { Environment } from '../../src/domain/environment.js';

/**
 * Names from the stack against the emulator's CloudFormation, on the templates 4dn-cloud-infra
 * generates (test/fixtures/cgap/generate.sh): the example's cgap-supertest, and cgap-wolf adopted
 * by the example with only the environment's name replaced.
 */

const EXAMPLE = join(PROJECT_ROOT, 'examples', 'cgap-4dn-cloud-infra');
const STACK = 'c4-ecs-cgap-supertest-stack';
const settings = { region: 'us-east-1', endpoint: emulatorEndpoint };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const cloudformation = new CloudFormationClient({});
const ecs = new ECSClient({});
const ec2 = new EC2Client({});
const sqs = new SQSClient({});

async function physicalIds(stack: string, client = cloudformation): Promise<Record<string, string>> {
  const { StackResourceSummaries = [] } = await client.send(new ListStackResourcesCommand({ StackName: stack }));
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

describe('names from the stacks 4dn-cloud-infra generated for cgap-supertest (the example)', () => {
  let env: Environment;
  let ids: Record<string, string>;

  beforeAll(async () => {
    const config = join(EXAMPLE, 'conductor.yml');
    await ensureStacksBeside(config, [STACK], cloudformation, ecs);
    const { document } = await resolveStackNamesWithAws(readConductorDocument(config), settings);
    const resolved = parseConductorConfig(document).environments['cgap-supertest'];
    if (!resolved) throw new Error('the example has no cgap-supertest environment');
    env = resolved;
    ids = await physicalIds(STACK);
  }, 120_000);

  it('holds the generated templates unedited', () => {
    const fixtures = join(PROJECT_ROOT, 'test', 'fixtures', 'cgap', 'infra', 'cgap-supertest');
    const example = readdirSync(join(EXAMPLE, 'stacks'));
    expect(example).toEqual(readdirSync(fixtures).filter((file) => file.endsWith('.yml')));
    for (const file of example) {
      expect(readFileSync(join(EXAMPLE, 'stacks', file), 'utf8')).toBe(readFileSync(join(fixtures, file), 'utf8'));
    }
  });

  it('resolves every generated name to the resource CloudFormation made', async () => {
    expect(env.cluster).toBe(ids.cgapDockerClusterForCgapSupertest);
    expect(env.cluster).toMatch(new RegExp(`^${STACK}-cgapDockerClusterForCgapSupertest-[A-Z0-9]+$`));
    const services = { wsgi: 'cgapportal', indexer: 'cgapIndexer', ingester: 'cgapIngester' };
    for (const [key, logicalId] of Object.entries(services)) {
      expect(env.services[key]?.service).toBe(ids[`${logicalId}Service`]?.split('/').pop());
      expect(env.services[key]?.service).toMatch(new RegExp(`^${STACK}-${logicalId}Service-[A-Z0-9]+$`));
      expect(env.services[key]?.taskDefinitionFamily).toBe(await family(ids[logicalId] ?? ''));
    }
    expect(env.deploymentTasks.deployment?.taskDefinition).toBe(await family(ids.cgapDeployment ?? ''));
    expect(env.deploymentTasks['initial-deployment']?.taskDefinition).toBe(
      await family(ids.cgapInitialDeployment ?? ''),
    );
    // The ECS stack imports them; they are outputs of the network and IAM stacks its parameters name.
    const network = await outputs('c4-network-main-stack');
    for (const task of Object.values(env.deploymentTasks)) {
      expect(task.network).toEqual({
        subnets: [network.C4NetworkMainPrivateSubnetA, network.C4NetworkMainPrivateSubnetB],
        securityGroups: [network.C4NetworkMainDBSecurityGroup, network.C4NetworkMainApplicationSecurityGroup],
        assignPublicIp: false,
      });
    }
    expect(env.taskRoles).toEqual([(await outputs('c4-iam-main-stack')).C4IAMMainECSAssumedIAMRole]);
    // The datastore stack, which the ECS stack does not name, made the queue under 4dn-cloud-infra's name.
    const datastore = await outputs('c4-datastore-cgap-supertest-stack');
    const queueUrl = datastore.C4DatastoreCgapSupertestApplicationIngestionQueue ?? '?';
    expect(queueUrl.split('/').pop()).toBe(env.queues.ingestion?.queue);
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
    expect(subnets.Subnets?.map((subnet) => subnet.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b']);
    expect(subnets.Subnets?.map((subnet) => subnet.MapPublicIpOnLaunch)).toEqual([false, false]);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: network?.securityGroups }));
    expect(groups.SecurityGroups).toHaveLength(2);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: env.queues.ingestion?.queue }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe(String(360 * 60));
  });

  it('imports all 6 private subnet pairs into the services, as 4dn-cloud-infra generated them', async () => {
    const network = await outputs('c4-network-main-stack');
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: env.cluster, services: [env.services.wsgi?.service ?? ''] }),
    );
    const template = readFileSync(join(EXAMPLE, 'stacks', `${STACK}.yml`), 'utf8');
    for (const pair of ['A', 'B', 'C', 'D', 'E', 'F']) {
      expect(network[`C4NetworkMainPrivateSubnet${pair}`]).toMatch(/^subnet-/);
      expect(template).toContain(`\${NetworkStackNameParameter}-PrivateSubnet${pair}`);
    }
    expect(described.services?.[0]?.status).toBe('ACTIVE');
  });

  it('gives the task definitions 4dn-cloud-infra gives them: its containers, application_type and IDENTITY', async () => {
    const containers = [
      [env.services.wsgi?.taskDefinitionFamily, 'portal', 'portal'],
      [env.services.indexer?.taskDefinitionFamily, 'Indexer', 'indexer'],
      [env.services.ingester?.taskDefinitionFamily, 'Ingester', 'ingester'],
      [env.deploymentTasks.deployment?.taskDefinition, 'DeploymentAction', 'deployment'],
      [env.deploymentTasks['initial-deployment']?.taskDefinition, 'DeploymentAction', 'deployment'],
    ];
    for (const [taskDefinition, container, applicationType] of containers) {
      const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      const [definition] = described.taskDefinition?.containerDefinitions ?? [];
      expect(definition?.name).toBe(container);
      expect(definition?.environment).toEqual(
        expect.arrayContaining([
          { name: 'application_type', value: applicationType },
          { name: 'IDENTITY', value: 'C4AppConfigCgapSupertest' },
        ]),
      );
    }
  });
});

describe('another environment 4dn-cloud-infra generated: the example with only its name replaced', () => {
  it("adopts cgap-wolf's own stacks after sed s/cgap-supertest/cgap-wolf/g on the example config", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgap-wolf-'));
    const config = join(dir, 'conductor.yml');
    writeFileSync(
      config,
      readFileSync(join(EXAMPLE, 'conductor.yml'), 'utf8').replaceAll('cgap-supertest', 'cgap-wolf'),
    );
    const generated = join(PROJECT_ROOT, 'test', 'fixtures', 'cgap', 'infra', 'cgap-wolf');
    mkdirSync(join(dir, 'stacks'));
    for (const file of readdirSync(generated).filter((name) => name.endsWith('.yml'))) {
      copyFileSync(join(generated, file), join(dir, 'stacks', file));
    }
    // An account of its own, as 4dn-cloud-infra's are: its target group name is the same in every environment.
    const emulator = await startEmulator();
    const clients = { endpoint: emulator.endpoint, region: 'us-east-1', credentials };
    const own = { cloudformation: new CloudFormationClient(clients), ecs: new ECSClient(clients) };
    try {
      await ensureStacksBeside(config, ['c4-ecs-cgap-wolf-stack'], own.cloudformation, own.ecs);
      const { document, names } = await resolveStackNamesWithAws(readConductorDocument(config), clients);

      const env = parseConductorConfig(document).environments['cgap-wolf'];
      const ids = await physicalIds('c4-ecs-cgap-wolf-stack', own.cloudformation);
      expect(env?.cluster).toBe(ids.cgapDockerClusterForCgapWolf);
      expect(env?.services.ingester?.service).toBe(ids.cgapIngesterService?.split('/').pop());
      expect(env?.deploymentTasks.deployment?.taskDefinition).toMatch(/^[\w-]+$/);
      expect(env?.deploymentTasks.deployment?.network.subnets).toHaveLength(2);
      expect(env?.taskRoles).toHaveLength(1);
      expect(env?.queues.ingestion?.queue).toBe('cgap-wolf-ingestion-queue');
      expect(env?.repository).toBe('cgap-wolf');
      expect(names.map((name) => name.path.split('.')[1])).toEqual(names.map(() => 'cgap-wolf'));
      expect(names.length).toBeGreaterThanOrEqual(12);
    } finally {
      own.cloudformation.destroy();
      own.ecs.destroy();
      await emulator.stop();
    }
  }, 120_000);

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
      `service/${ids.cgapDockerClusterForCgapSupertest ?? '?'}/${STACK}-cgapportalService-`,
    );
    expect(reconcileRole).toContain(`task-definition/${(await family(ids.cgapDeployment ?? '')) ?? '?'}:*`);
    expect(reconcileRole).toContain((await outputs('c4-iam-main-stack')).C4IAMMainECSAssumedIAMRole);
    const bundle = execFileSync('unzip', ['-p', join(result.dir, 'autoscale.zip'), 'src/handlers/autoscale.mjs'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(bundle).toContain(`"cluster":"${ids.cgapDockerClusterForCgapSupertest ?? '?'}"`);
    expect(bundle).not.toContain('stackResource');
  }, 240_000);

  it("refuses a build project that would not apply docker/, as 4dn-cloud-infra's builds cgap-portal", async () => {
    // As 4dn-cloud-infra's src/parts/codebuild.py makes it: GitHub source, the source's own buildspec.
    await createGithubProject(
      new CodeBuildClient({}),
      'cgap-supertest-github',
      'https://github.com/dbmi-bgm/cgap-portal',
    );

    const result = await packageService(
      ['--param=config=./test/fixtures/config/foreign-build-project.yml'],
      credentials,
    );

    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      "environments.cgap-supertest.codebuild.project: CodeBuild project cgap-supertest-github builds its GITHUB source with that source's own buildspec.yml, so docker/ would never be applied",
    );
  }, 240_000);

  it('fails naming the stack and the config path when the stack does not exist', async () => {
    const result = await packageService(['--param=config=./test/fixtures/config/missing-stack.yml'], credentials);

    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'environments.cgap-gone.stack: CloudFormation stack "c4-ecs-stack-cgapgone" does not exist',
    );
  }, 240_000);
});
