import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { arnOrBuild } from '../../../src/packaging/arns.js';
import { functionPolicyStatements } from '../../../src/packaging/iam-policies.js';

const environment = (overrides: Record<string, unknown> = {}) =>
  parseConductorConfig({
    environments: {
      app: {
        repository: 'app',
        codebuild: { project: 'app' },
        cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/app-cluster',
        services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
        ...overrides,
      },
    },
  });

describe('ARN helpers', () => {
  it('builds ARNs in the environment account and region when the config names them', () => {
    const env = environment({ account: '111122223333', region: 'eu-west-1' }).environments.app;
    if (!env) throw new Error('no environment');
    expect(arnOrBuild(env, 'app', 'codebuild', (name) => `project/${name}`)).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:codebuild:eu-west-1:111122223333:project/app',
    });
    expect(arnOrBuild(env, 'arn:aws:codebuild:eu-west-1:111122223333:project/x', 'codebuild', (name) => name)).toBe(
      'arn:aws:codebuild:eu-west-1:111122223333:project/x',
    );
  });
});

describe('functionPolicyStatements', () => {
  it('scopes services to the cluster named by an ARN and families to the service name by default', () => {
    const statements = functionPolicyStatements('reconcile', environment());
    const text = JSON.stringify(statements);
    expect(text).toContain('service/app-cluster/app-wsgi');
    expect(text).toContain('task-definition/app-wsgi:*');
  });

  it('leaves out statements for resources the config does not have', () => {
    const sids = functionPolicyStatements('reconcile', environment()).map((statement) => statement.Sid);
    // No deployment tasks, task roles or topic: no RunTask, PassRole or Publish.
    expect(sids).not.toContain('RunDeploymentTasks');
    expect(sids).not.toContain('PassTaskRoles');
    expect(sids).not.toContain('Notify');
  });

  it('lets the rollout functions read scan findings only in repositories whose environment gates on scans', () => {
    const sidsOf = (config: ReturnType<typeof environment>) =>
      functionPolicyStatements('api', config).map((statement) => statement.Sid);
    expect(sidsOf(environment())).not.toContain('ReadScanFindings');
    const scanned = functionPolicyStatements('api', environment({ gates: { scan: {} } })).find(
      (statement) => statement.Sid === 'ReadScanFindings',
    );
    expect(scanned).toMatchObject({ Action: ['ecr:DescribeImageScanFindings'] });
    expect(JSON.stringify(scanned?.Resource)).toContain('repository/app');
    // Only a gate on Inspector's enhanced scanning adds inspector2:ListFindings, which ECR's read of
    // enhanced findings needs and which takes no resource scope.
    expect(sidsOf(environment({ gates: { scan: {} } }))).not.toContain('ReadInspectorFindings');
    const inspected = functionPolicyStatements(
      'onImagePush',
      environment({ gates: { scan: { scanner: 'enhanced' } } }),
    );
    expect(inspected.find((statement) => statement.Sid === 'ReadInspectorFindings')).toEqual({
      Sid: 'ReadInspectorFindings',
      Effect: 'Allow',
      Action: ['inspector2:ListFindings'],
      Resource: '*',
    });
  });

  it("lets the rollout functions read exactly the alarms deploys watch, each service's names filled in", () => {
    const sidsOf = (config: ReturnType<typeof environment>) =>
      functionPolicyStatements('reconcile', config).map((statement) => statement.Sid);
    expect(sidsOf(environment())).not.toContain('ReadAlarms');
    const watched = environment({
      account: '111122223333',
      region: 'eu-west-1',
      services: {
        wsgi: { service: 'app-wsgi', desiredCount: 1 },
        indexer: { service: 'app-indexer', desiredCount: 1 },
      },
      gates: { alarms: ['app-latency', 'app-{service}-5xx'] },
    });
    for (const fn of [
      'api',
      'reconcile',
      'onTaskStateChange',
      'onDeploymentStateChange',
      'onAlarmStateChange',
    ] as const) {
      const read = functionPolicyStatements(fn, watched).find((statement) => statement.Sid === 'ReadAlarms');
      expect(read).toEqual({
        Sid: 'ReadAlarms',
        Effect: 'Allow',
        Action: ['cloudwatch:DescribeAlarms'],
        Resource: ['app-latency', 'app-wsgi-5xx', 'app-indexer-5xx']
          .map((name) => `arn:\${AWS::Partition}:cloudwatch:eu-west-1:111122223333:alarm:${name}`)
          .map((arn) => ({ 'Fn::Sub': arn })),
      });
    }
    expect(sidsOf(watched)).toContain('ReadAlarms');
    expect(functionPolicyStatements('autoscale', watched).map((statement) => statement.Sid)).not.toContain(
      'ReadAlarms',
    );
  });

  it('lets the autoscaler read every queue a service consumes', () => {
    const twoQueues = environment({
      queues: { q: { queue: 'q', alsoQueues: ['q-secondary'], service: 'wsgi', minTasks: 0, maxTasks: 2 } },
    });
    const read = functionPolicyStatements('autoscale', twoQueues).find((statement) => statement.Sid === 'ReadQueues');
    expect(JSON.stringify(read?.Resource)).toContain(':q"');
    expect(JSON.stringify(read?.Resource)).toContain(':q-secondary"');
  });

  it('gives the autoscaler UpdateService only on queue-driven services', () => {
    const withQueue = environment({ queues: { q: { queue: 'q', service: 'wsgi', minTasks: 0, maxTasks: 2 } } });
    const scale = functionPolicyStatements('autoscale', withQueue).find(
      (statement) => statement.Sid === 'ScaleQueueServices',
    );
    expect(scale?.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/app-cluster/app-wsgi' },
    ]);
    const withoutQueue = functionPolicyStatements('autoscale', environment()).map((statement) => statement.Sid);
    expect(withoutQueue).not.toContain('ScaleQueueServices');
  });
});

describe('the hook Lambda in a VPC', () => {
  const withHookNetwork = (document: Record<string, unknown>) =>
    parseConductorConfig({
      deploymentHook: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] },
      ...document,
    });
  const base = {
    environments: {
      app: { repository: 'app', cluster: 'app', services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } } },
    },
  };

  it('lets its role create network interfaces only in the configured subnets and groups, and nothing else gets any', () => {
    const ec2 = (resource: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${resource}`,
    });
    const statements = functionPolicyStatements('deploymentHook', withHookNetwork(base));
    expect(statements.filter((statement) => statement.Sid.startsWith('HookNetwork'))).toEqual([
      {
        Sid: 'HookNetworkInterfacesInItsSubnets',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface'],
        Resource: [
          ec2('network-interface/*'),
          ec2('subnet/subnet-0123456789abcdef0'),
          ec2('security-group/sg-0123456789abcdef0'),
        ],
      },
      {
        Sid: 'HookNetworkInterfacesManaged',
        Effect: 'Allow',
        Action: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        Resource: ec2('network-interface/*'),
      },
      {
        Sid: 'HookNetworkDescribed',
        Effect: 'Allow',
        Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        Resource: '*',
      },
    ]);
    expect(JSON.stringify(functionPolicyStatements('reconcile', withHookNetwork(base)))).not.toContain(
      'NetworkInterface',
    );
    expect(JSON.stringify(functionPolicyStatements('deploymentHook', parseConductorConfig(base)))).not.toContain(
      'ec2:',
    );
  });

  it('takes the network of an environment’s deployment task with networkOf (filled from its stack when not written)', () => {
    const network = { subnets: ['subnet-0aaaaaaaaaaaaaaa1'], securityGroups: ['sg-0bbbbbbbbbbbbbbb1'] };
    const withTask = {
      environments: {
        app: {
          ...base.environments.app,
          deploymentTasks: { deployment: { taskDefinition: 'app-deployment', network } },
        },
      },
    };
    expect(parseConductorConfig({ ...withTask, deploymentHook: { networkOf: 'app' } }).deploymentHook).toEqual({
      subnetIds: network.subnets,
      securityGroupIds: network.securityGroups,
    });
    expect(() => parseConductorConfig({ ...base, deploymentHook: { networkOf: 'app' } })).toThrow(
      'deploymentHook.networkOf: environment "app" has no deployment task, whose network the hook would take',
    );
    expect(() => parseConductorConfig({ ...withTask, deploymentHook: { networkOf: 'nope' } })).toThrow(
      'deploymentHook.networkOf: no environment "nope" in the config',
    );
    expect(() =>
      parseConductorConfig({ ...withTask, deploymentHook: { networkOf: 'app', subnetIds: network.subnets } }),
    ).toThrow('deploymentHook.networkOf: takes the place of subnetIds and securityGroupIds');
  });

  it('refuses ids that are not subnet or security group ids', () => {
    expect(() =>
      parseConductorConfig({ ...base, deploymentHook: { subnetIds: ['private-a'], securityGroupIds: [] } }),
    ).toThrow(
      /deploymentHook\.subnetIds\.0: must be a subnet id[\s\S]*deploymentHook\.securityGroupIds: must list at least one security group/,
    );
  });
});
