import { emulatorEndpoint } from '../support/aws-env.js';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateTableDefinition } from '../../src/aws/state-table-definition.js';
import { venvBin } from '../../scripts/lib/venv.js';
import { playCalls, withPublicRoutesOnApi } from '../support/concurrency-model.js';
import {
  PROJECT_ROOT,
  packageService,
  readTemplate,
  run,
  type CfnTemplate,
  type PackageResult,
} from '../support/serverless.js';

interface Statement {
  Sid?: string;
  Action: string[];
  Resource: unknown;
  Condition?: unknown;
}

function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function roleStatements(template: CfnTemplate, logicalId: string): Statement[] {
  const role = template.Resources[logicalId];
  const policies = role?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

function unzipText(zip: string, entry: string): string {
  return execFileSync('unzip', ['-p', zip, entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const FUNCTIONS = [
  'Api',
  'PublicApi',
  'OnImagePush',
  'OnBuildStateChange',
  'OnTaskStateChange',
  'OnDeploymentStateChange',
  'OnAlarmStateChange',
  'Autoscale',
  'Reconcile',
  'DeploymentHook',
];

describe('serverless package of the example config', () => {
  let packaged: PackageResult;
  let template: CfnTemplate;

  beforeAll(async () => {
    packaged = await packageService();
    expect(packaged.output).toContain('Service packaged');
    template = readTemplate(packaged.dir);
  }, 240_000);

  it('declares every function on nodejs22.x arm64 with its own role', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(FUNCTIONS.map((name) => `${name}LambdaFunction`).sort());
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [id.replace('LambdaFunction', 'Role'), 'Arn'] });
    }
  });

  it('routes the HTTP API through IAM authorization except /health and /openapi.json', () => {
    const routes = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]): [string, unknown] => [
        String(route.Properties.RouteKey),
        route.Properties.AuthorizationType,
      ]),
    );
    expect(routes).toEqual({
      'GET /health': undefined,
      'GET /openapi.json': undefined,
      'ANY /{proxy+}': 'AWS_IAM',
    });
  });

  it('serves the public routes from their own function with its own few executions, apart from signed ones', () => {
    const targets = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]): [string, string] => [
        String(route.Properties.RouteKey),
        JSON.stringify(route.Properties.Target),
      ]),
    );
    expect(targets['GET /health']).toMatch(/IntegrationPublicApi/);
    expect(targets['GET /openapi.json']).toMatch(/IntegrationPublicApi/);
    expect(targets['ANY /{proxy+}']).toMatch(/IntegrationApi\b/);
    const concurrency = Object.fromEntries(
      resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => [
        id,
        fn.Properties.ReservedConcurrentExecutions,
      ]),
    );
    expect(concurrency).toMatchObject({ ApiLambdaFunction: 20, PublicApiLambdaFunction: 5 });
  });

  it('keeps a signed deploy its execution beside a flood of 200 public calls (and would not without the split)', () => {
    // 200 calls to /health and /openapi.json at once, each running 200 ms, then a deploy 10 ms later.
    const flood = Array.from({ length: 200 }, (_, index) => ({
      method: 'GET',
      path: index % 2 === 0 ? '/health' : '/openapi.json',
      at: index / 100,
      durationMs: 200,
    }));
    const deploy = { method: 'POST', path: '/environments/cgap-prod/deployments', at: 10, durationMs: 1500 };

    const played = playCalls(template, [...flood, deploy]);

    const deployed = played.find((call) => call.method === 'POST');
    expect(deployed).toMatchObject({ functionId: 'ApiLambdaFunction', throttled: false });
    // The flood is held to the public function's own five executions: the rest is throttled (429).
    const publicCalls = played.filter((call) => call.method === 'GET');
    expect(new Set(publicCalls.map((call) => call.functionId))).toEqual(new Set(['PublicApiLambdaFunction']));
    expect(publicCalls.filter((call) => !call.throttled)).toHaveLength(5);
    // The same flood with the public routes on the api function, as before: the deploy is throttled.
    const before = playCalls(withPublicRoutesOnApi(template), [...flood, deploy]);
    expect(before.find((call) => call.method === 'POST')).toMatchObject({ throttled: true });
  });

  it('subscribes each event handler to exactly its events', () => {
    const patterns = Object.fromEntries(
      resourcesOfType(template, 'AWS::Events::Rule')
        .filter(([, rule]) => rule.Properties.EventPattern)
        .map(([id, rule]) => [id.replace(/^Ecsconductorci|rule1EventBridgeRule$/g, ''), rule.Properties.EventPattern]),
    );
    expect(patterns).toEqual({
      onImagePush: {
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'image-tag': [{ exists: true }],
          'repository-name': ['cgap-mastertest', 'cgap-prod'],
        },
      },
      // Its second source: ECR's scan results (the releases record them; an auto-deploy tries again).
      onImagePushrule2EventBridgeRule: {
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Scan'],
        detail: { 'repository-name': ['cgap-mastertest', 'cgap-prod'] },
      },
      onBuildStateChange: {
        source: ['aws.codebuild'],
        'detail-type': ['CodeBuild Build State Change'],
        detail: { 'project-name': ['cgap-mastertest', 'ecs-conductor-cgap-prod-build'] },
      },
      onTaskStateChange: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { lastStatus: ['STOPPED'], startedBy: [{ prefix: 'ecs-conductor' }] },
      },
      onDeploymentStateChange: { source: ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'] },
      onDeploymentStateChangerule2EventBridgeRule: { source: ['aws.ecs'], 'detail-type': ['ECS Hook State Change'] },
    });
    const schedules = resourcesOfType(template, 'AWS::Events::Rule')
      .filter(([, rule]) => rule.Properties.ScheduleExpression)
      .map(([id, rule]) => [id, rule.Properties.ScheduleExpression]);
    expect(schedules).toEqual([
      ['AutoscaleEventsRuleSchedule1', 'rate(1 minute)'],
      ['ReconcileEventsRuleSchedule1', 'rate(1 minute)'],
    ]);
  });

  it('declares the state table exactly as the emulator seed creates it', () => {
    const table = template.Resources.StateTable?.Properties;
    expect(table?.AttributeDefinitions).toEqual(stateTableDefinition.AttributeDefinitions);
    expect(table?.KeySchema).toEqual(stateTableDefinition.KeySchema);
    expect(table?.GlobalSecondaryIndexes).toEqual(stateTableDefinition.GlobalSecondaryIndexes);
    expect(table?.BillingMode).toBe(stateTableDefinition.BillingMode);
    expect(table?.TimeToLiveSpecification).toEqual({
      AttributeName: stateTableDefinition.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('never grants a write action on Resource "*"', () => {
    const writes =
      /^(ecs:(UpdateService|RunTask|RegisterTaskDefinition|StopTask|StopServiceDeployment|ContinueServiceDeployment)|codebuild:StartBuild|iam:PassRole|dynamodb:(Put|Update|Delete)Item|sns:Publish|ecr:(PutImage|InitiateLayerUpload|UploadLayerPart|CompleteLayerUpload)|logs:\w+)$/;
    for (const name of [...FUNCTIONS, 'CgapProdBuild']) {
      for (const statement of roleStatements(template, `${name}Role`)) {
        if (statement.Action.some((action) => writes.test(action))) {
          expect([statement.Resource].flat(), `${name}Role ${statement.Sid ?? ''}`).not.toContain('*');
        }
      }
    }
  });

  it('lets only the functions that need them start builds, run tasks or change services', () => {
    const actionsOf = (role: string) =>
      new Set(roleStatements(template, role).flatMap((statement) => statement.Action));
    expect(actionsOf('OnImagePushRole').has('codebuild:StartBuild')).toBe(true);
    expect(actionsOf('OnImagePushRole').has('ecs:UpdateService')).toBe(false);
    expect(actionsOf('AutoscaleRole').has('ecs:RunTask')).toBe(false);
    expect(actionsOf('AutoscaleRole').has('codebuild:StartBuild')).toBe(false);
    const scale = roleStatements(template, 'AutoscaleRole').find((statement) => statement.Sid === 'ScaleQueueServices');
    // The autoscaler may update the queue-driven ingesters and nothing else.
    expect(JSON.stringify(scale?.Resource)).toContain('service/cgap-mastertest/cgap-mastertest-ingester');
    expect(JSON.stringify(scale?.Resource)).not.toContain('wsgi');
  });

  it('feeds autoscale its ticks from an encrypted queue of its own, one at a time, with rights on that queue only', () => {
    const queue = template.Resources.AutoscaleTickQueue?.Properties;
    const fn = template.Resources.AutoscaleLambdaFunction?.Properties;
    expect(queue).toMatchObject({ KmsMasterKeyId: 'alias/aws/sqs', MessageRetentionPeriod: 300 });
    expect(queue?.QueueName).toMatch(/^ecs-conductor-[a-z]+-autoscale-ticks$/);
    // Lambda refuses an event source whose visibility timeout is below the function's timeout.
    expect(Number(queue?.VisibilityTimeout)).toBeGreaterThan(Number(fn?.Timeout));
    expect(fn).toMatchObject({
      MemorySize: 256,
      Environment: { Variables: { CONDUCTOR_AUTOSCALE_TICK_QUEUE: queue?.QueueName } },
    });
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(([, mapping]) => mapping);
    expect(mappings.map((mapping) => mapping.Properties)).toEqual([
      expect.objectContaining({
        BatchSize: 1,
        EventSourceArn: { 'Fn::GetAtt': ['AutoscaleTickQueue', 'Arn'] },
        ScalingConfig: { MaximumConcurrency: 2 },
      }),
    ]);
    const sqsStatements = FUNCTIONS.flatMap((name) =>
      roleStatements(template, `${name}Role`)
        .filter((statement) => statement.Action.some((action) => /^sqs:(Receive|Delete)Message$/.test(action)))
        .map((statement) => [name, statement.Resource]),
    );
    expect(sqsStatements).toEqual([['Autoscale', { 'Fn::Sub': '${AutoscaleTickQueue.Arn}' }]]);
  });

  it('creates the privileged build project of cgap-prod, which names none, running this buildspec', () => {
    const created = resourcesOfType(template, 'AWS::CodeBuild::Project');
    expect(created.map(([id, project]) => [id, project.Properties.Name])).toEqual([
      ['CgapProdBuildProject', 'ecs-conductor-cgap-prod-build'],
    ]);
    const project = template.Resources.CgapProdBuildProject?.Properties;
    expect(project?.Environment).toMatchObject({
      PrivilegedMode: true,
      EnvironmentVariables: [{ Name: 'ECR_REPOSITORY', Value: 'cgap-prod', Type: 'PLAINTEXT' }],
    });
    const source = project?.Source as { Type: string; BuildSpec: string };
    expect(source.Type).toBe('NO_SOURCE');
    expect(source.BuildSpec).toContain('docker build --file docker/Dockerfile');
    expect(source.BuildSpec).toContain("> 'docker/Dockerfile'");
    expect(template.Resources.CgapProdBuildLogs?.Properties).toEqual({
      LogGroupName: '/aws/codebuild/ecs-conductor-cgap-prod-build',
      RetentionInDays: 30,
    });
  });

  it("lets the build role write only cgap-prod's repository and its own logs, with '*' only for the ECR login", () => {
    const statements = roleStatements(template, 'CgapProdBuildRole');
    const repository = {
      'Fn::Sub': 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/cgap-prod',
    };
    expect(statements.filter((statement) => statement.Resource === '*').map((s) => s.Action)).toEqual([
      ['ecr:GetAuthorizationToken'],
    ]);
    for (const sid of ['PullSourceImage', 'PushEntrypointImages']) {
      expect(statements.find((statement) => statement.Sid === sid)?.Resource, sid).toEqual(repository);
    }
    expect(statements.find((statement) => statement.Sid === 'OwnLogs')?.Resource).toEqual({
      'Fn::GetAtt': ['CgapProdBuildLogs', 'Arn'],
    });
    expect(statements.flatMap((statement) => statement.Action)).toHaveLength(10);
  });

  it('lets the functions start builds on the created project and the named one only', () => {
    const builds = roleStatements(template, 'OnImagePushRole').find((statement) => statement.Sid === 'Builds');
    expect(builds?.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/cgap-mastertest' },
      { 'Fn::Sub': '${CgapProdBuildProject.Arn}' },
    ]);
  });

  it('limits iam:PassRole to the configured task roles, passed to ECS tasks only', () => {
    const passRole = roleStatements(template, 'ReconcileRole').find((statement) =>
      statement.Action.includes('iam:PassRole'),
    );
    expect(passRole?.Resource).toEqual(
      [
        'cgap-mastertest-ecs-task',
        'cgap-mastertest-ecs-execution',
        'cgap-prod-ecs-task',
        'cgap-prod-ecs-execution',
      ].map((role) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${role}`,
      })),
    );
    expect(passRole?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  });

  it('lets ECS invoke exactly the deployment hook, with a role only ECS of this account may assume', () => {
    const invokeRole = template.Resources.DeploymentHookInvokeRole?.Properties as {
      AssumeRolePolicyDocument: { Statement: { Principal: unknown; Condition: unknown }[] };
    };
    expect(invokeRole.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'ecs.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(roleStatements(template, 'DeploymentHookInvokeRole')).toEqual([
      {
        Sid: 'InvokeTheHook',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': ['DeploymentHookLambdaFunction', 'Arn'] },
      },
    ]);
    const hookEnv = template.Resources.ReconcileLambdaFunction?.Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(hookEnv.Variables.CONDUCTOR_HOOK_FUNCTION_ARN).toEqual({
      'Fn::GetAtt': ['DeploymentHookLambdaFunction', 'Arn'],
    });
    expect(roleStatements(template, 'DeploymentHookRole').map((statement) => statement.Sid)).toEqual([
      'OwnLogs',
      'ConductorState',
    ]);
  });

  it('bundles each function minified with a source map and the resolved config baked in', () => {
    const bundle = unzipText(join(packaged.dir, 'api.zip'), 'src/handlers/api.mjs');
    expect(bundle).toContain('cgap-mastertest-ingestion-queue');
    // Minified: long lines, not source layout.
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000);
    expect(execFileSync('unzip', ['-l', join(packaged.dir, 'api.zip')], { encoding: 'utf8' })).toContain('api.mjs.map');
  });

  // checkov reads every resource of the template: minutes on a loaded 2-core machine.
  it('passes checkov with every skipped check justified in .checkov.yaml', async () => {
    const scan = await run(venvBin('checkov'), [
      '--config-file',
      '.checkov.yaml',
      '--skip-download',
      '-f',
      join(packaged.dir, 'cloudformation-template-update-stack.json'),
    ]);
    expect(scan.output).toMatch(/Failed checks: 0\b/);
    expect(scan.code).toBe(0);
    const skips = readFileSync(join(PROJECT_ROOT, '.checkov.yaml'), 'utf8')
      .split('\n')
      .filter((line) => /^\s+- CKV_/.test(line));
    expect(skips.length).toBeGreaterThan(0);
    for (const line of skips) expect(line, line).toMatch(/- CKV_\w+\s+# \S.{20,}/);
  }, 240_000);

  it('sends events that failed all retries to an encrypted dead-letter queue, and alarms on it', () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern);
    for (const [, rule] of rules) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } } }),
      ]);
    }
    const invokeConfigs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig');
    // Every event function's: the six before, and onAlarmStateChange (no rule here: this config watches no alarm).
    expect(invokeConfigs).toHaveLength(7);
    for (const [, config] of invokeConfigs) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } } },
      });
    }
    expect(template.Resources.EventsDeadLetterQueue?.Properties).toMatchObject({ KmsMasterKeyId: 'alias/aws/sqs' });
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms).toEqual(
      expect.arrayContaining([
        'EventsDeadLetterQueueAlarm',
        'StuckReleaseAlarm',
        ...FUNCTIONS.flatMap((name) => [`${name}ErrorsAlarm`, `${name}ThrottlesAlarm`]),
      ]),
    );
  });

  it('passes cfn-lint', async () => {
    const lint = await run(venvBin('cfn-lint'), [
      '--',
      join(packaged.dir, 'cloudformation-template-update-stack.json'),
    ]);
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
  });
});

describe('serverless package of other configs', () => {
  it('lets the rollout functions read only the alarms examples/release-gates watches, and passes cfn-lint', async () => {
    const result = await packageService(['--param=config=./examples/release-gates/conductor.yml']);
    expect(result.output).toContain('Service packaged');
    const template = readTemplate(result.dir);
    const alarm = {
      'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:gates-production-wsgi-5xx',
    };
    const rollers = ['ApiRole', 'ReconcileRole', 'OnTaskStateChangeRole', 'OnDeploymentStateChangeRole'];
    for (const role of [...rollers, 'OnAlarmStateChangeRole']) {
      const reads = roleStatements(template, role).filter((statement) =>
        statement.Action.some((action) => action.startsWith('cloudwatch:')),
      );
      expect(reads, role).toEqual([
        { Sid: 'ReadAlarms', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: [alarm] },
      ]);
    }
    expect(JSON.stringify(roleStatements(template, 'AutoscaleRole'))).not.toContain('cloudwatch:');
    // The alarm's move to ALARM reaches onAlarmStateChange by a rule naming that alarm's ARN only; and
    // production's enhanced scan gate adds Inspector's scan results (by the repository's ARN) to onImagePush.
    const rules = Object.fromEntries(
      resourcesOfType(template, 'AWS::Events::Rule').map(([id, rule]) => [id, rule.Properties.EventPattern]),
    );
    expect(rules.EcsconductorcionAlarmStateChangerule1EventBridgeRule).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [alarm],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(rules.EcsconductorcionImagePushrule3EventBridgeRule).toEqual({
      source: ['aws.inspector2'],
      'detail-type': ['Inspector2 Scan'],
      detail: {
        'repository-name': [
          { 'Fn::Sub': 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/gates-app' },
        ],
      },
    });
    // The hook Lambda runs in the config's subnets, its role allowed network interfaces there only.
    expect(template.Resources.DeploymentHookLambdaFunction?.Properties.VpcConfig).toEqual({
      SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
      SecurityGroupIds: ['sg-0bbbbbbbbbbbbbbb1'],
    });
    expect(
      roleStatements(template, 'DeploymentHookRole')
        .map((statement) => statement.Sid)
        .filter((sid) => sid?.startsWith('HookNetwork')),
    ).toEqual(['HookNetworkInterfacesInItsSubnets', 'HookNetworkInterfacesManaged', 'HookNetworkDescribed']);
    expect(JSON.stringify(roleStatements(template, 'ReconcileRole'))).not.toContain('ec2:');
    const inspector = roleStatements(template, 'OnImagePushRole').filter((statement) =>
      statement.Action.some((action) => action.startsWith('inspector2:')),
    );
    expect(inspector).toEqual([
      { Sid: 'ReadInspectorFindings', Effect: 'Allow', Action: ['inspector2:ListFindings'], Resource: '*' },
    ]);
    const lint = await run(venvBin('cfn-lint'), ['--', join(result.dir, 'cloudformation-template-update-stack.json')]);
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
  }, 240_000);

  it('fails on an invalid config, listing every problem with its path', async () => {
    const result = await packageService(['--param=config=./test/fixtures/config/invalid.yml']);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('environments.cgap-prod.cluster: must not be empty');
    expect(result.output).toContain('environments.cgap-prod.queues.ingestion.maxTasks: must be >= minTasks');
  }, 240_000);

  it('resolves config values from CloudFormation outputs and other serverless variables', async () => {
    const cloudformation = new CloudFormationClient({ endpoint: emulatorEndpoint });
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'infra-stack',
        TemplateBody: JSON.stringify({
          Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'packaging-test-queue' } } },
          Outputs: { ClusterName: { Value: 'c4-ecs-stack-appci-Id3abyB8OGv1' } },
        }),
      }),
    );

    const result = await packageService(['--param=config=./test/fixtures/config/variables.yml'], {
      AWS_ENDPOINT_URL: emulatorEndpoint,
      TEST_REPOSITORY: 'app-repo',
    });

    expect(result.output).toContain('Service packaged');
    const roles = JSON.stringify(readTemplate(result.dir).Resources.ReconcileRole);
    expect(roles).toContain('service/c4-ecs-stack-appci-Id3abyB8OGv1/app-repo-wsgi');
    const bundle = unzipText(join(result.dir, 'autoscale.zip'), 'src/handlers/autoscale.mjs');
    expect(bundle).toContain('"cluster":"c4-ecs-stack-appci-Id3abyB8OGv1"');
    expect(bundle).toContain('"project":"app-repo-builder","managed":false');
    // The config names its project: the stack creates none.
    expect(resourcesOfType(readTemplate(result.dir), 'AWS::CodeBuild::Project')).toEqual([]);
  }, 240_000);
});
