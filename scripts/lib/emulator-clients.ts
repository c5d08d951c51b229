import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emulatorClientConfig } from '../../src/local/emulator.js';

/**
 * Local mode's SDK clients for one emulator: made once per process and shared by everything that
 * talks to it (the stacks, the seed, the event and tick pumps, the task clock), as the Lambdas'
 * composition root shares its adapters. Local mode's root (scripts/local.ts) starts the emulator;
 * the first user of its endpoint makes the clients.
 */
export interface EmulatorClients {
  cloudformation: CloudFormationClient;
  cloudwatch: CloudWatchClient;
  codebuild: CodeBuildClient;
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  ec2: EC2Client;
  ecr: ECRClient;
  ecs: ECSClient;
  sqs: SQSClient;
}

const byEndpoint = new Map<string, EmulatorClients>();

export function emulatorClients(endpoint: string): EmulatorClients {
  const known = byEndpoint.get(endpoint);
  if (known) return known;
  const settings = emulatorClientConfig(endpoint);
  const dynamodb = new DynamoDBClient(settings);
  const clients: EmulatorClients = {
    cloudformation: new CloudFormationClient(settings),
    // moto answers CloudWatch's Query protocol only (src/aws/cloudwatch.ts says why the conductor's client does too).
    cloudwatch: new CloudWatchClient({ ...settings, protocol: AwsQueryProtocol }),
    codebuild: new CodeBuildClient(settings),
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    ec2: new EC2Client(settings),
    ecr: new ECRClient(settings),
    ecs: new ECSClient(settings),
    sqs: new SQSClient(settings),
  };
  byEndpoint.set(endpoint, clients);
  return clients;
}

/** Closes an emulator's clients (its sockets), when it stops. */
export function closeEmulatorClients(endpoint: string): void {
  const clients = byEndpoint.get(endpoint);
  byEndpoint.delete(endpoint);
  for (const client of Object.values(clients ?? {})) (client as { destroy: () => void }).destroy();
}
