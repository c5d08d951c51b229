import { emulatorEndpoint } from '../support/aws-env.js';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setTaskProgression } from '../../scripts/lib/emulator.js';
import { startTaskClock, TASK_STOP_STEPS, type TaskClock } from '../../scripts/lib/task-clock.js';

const cluster = 'task-clock-test';
const ecs = new ECSClient({});
const ec2 = new EC2Client({});
let clock: TaskClock;
let network: { subnets: string[]; securityGroups: string[] };

beforeAll(async () => {
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'task-clock-test',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'app:latest', memory: 512 }],
    }),
  );
  // Fargate tasks need a subnet and security group, in a VPC with DNS hostnames or moto's RunTask fails.
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.77.0.0/16' }));
  const VpcId = Vpc?.VpcId;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId, EnableDnsHostnames: { Value: true } }));
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.77.0.0/24' }));
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId, GroupName: 'task-clock-test', Description: 'task clock test' }),
  );
  network = { subnets: [Subnet?.SubnetId ?? ''], securityGroups: [GroupId ?? ''] };
  await setTaskProgression(emulatorEndpoint, { progression: 'time', seconds: 1 / TASK_STOP_STEPS });
  clock = startTaskClock(emulatorEndpoint, 'us-east-1', 100);
});

afterAll(async () => {
  await clock.stop();
  // The transition is global to the emulator: give the other test files moto's default back.
  await setTaskProgression(emulatorEndpoint, undefined);
  ecs.destroy();
  ec2.destroy();
});

it('stops a task in about the configured time although nobody else reads it', async () => {
  const { tasks } = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition: 'task-clock-test',
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: network },
    }),
  );
  const taskArn = tasks?.[0]?.taskArn;
  if (!taskArn) throw new Error('RunTask started no task');

  await new Promise((resolveWait) => setTimeout(resolveWait, 2500));

  const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  expect(described.tasks?.[0]?.lastStatus).toBe('STOPPED');
});
