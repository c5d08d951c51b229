/**
 * The autoscaler's own monthly bill (issue 15 item 7), next to what it scales: Lambda, DynamoDB, SQS
 * reads, CloudWatch logs and EMF metrics for the control plane; Fargate for task-minutes. List prices,
 * us-east-1, no free tier (an account's free tier is shared by everything in it). Sources:
 * - Lambda: $0.0000166667 per GB-second (x86), $0.20 per million requests (AWS whitepaper "How AWS
 *   Pricing Works", Lambda);
 * - DynamoDB on demand: $0.625 per million write and $0.125 per million read request units (after the
 *   November 2024 cut; a strongly consistent read of up to 4 KB is one unit);
 * - SQS standard: $0.40 per million requests (GetQueueAttributes is one);
 * - CloudWatch: logs ingestion $0.50 per GB, custom metrics $0.30 each a month (aws.amazon.com/cloudwatch/pricing);
 * - Fargate Linux x86: $0.04048 per vCPU-hour, $0.004445 per GB-hour, billed per second;
 * - ECS API calls (DescribeServices, UpdateService) and scheduled EventBridge rules: no charge.
 */
export const PRICES = {
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerRequest: 0.2 / 1e6,
  dynamoPerWrite: 0.625 / 1e6,
  dynamoPerRead: 0.125 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  logsPerGb: 0.5,
  perMetricMonth: 0.3,
  fargatePerVcpuHour: 0.04048,
  fargatePerGbHour: 0.004445,
} as const;

export const SECONDS_PER_MONTH = 30 * 24 * 3600;

/** How the control plane runs, for `environments` environments with one queue-driven service each. */
export interface ControlPlane {
  environments: number;
  /** Lambda invocations a month and each one's billed seconds and memory. */
  invocationsPerMonth: number;
  billedSecondsPerInvocation: number;
  memoryMb: number;
  /** Autoscale passes a month; each reads the state once (a Query) and the queue once per environment. */
  passesPerMonth: number;
  /** Scaling-record writes a month per environment (a change, new evidence or the heartbeat). */
  writesPerEnvironmentMonth: number;
  /** Bytes of decision log per environment per pass, and EMF metrics per environment. */
  logBytesPerPass: number;
  metricsPerEnvironment: number;
}

export interface MonthlyCost {
  lambda: number;
  dynamodb: number;
  sqs: number;
  cloudwatch: number;
  total: number;
}

export function controlPlaneMonthlyCost(plane: ControlPlane): MonthlyCost {
  const gbSeconds = plane.invocationsPerMonth * plane.billedSecondsPerInvocation * (plane.memoryMb / 1024);
  const lambda = gbSeconds * PRICES.lambdaPerGbSecond + plane.invocationsPerMonth * PRICES.lambdaPerRequest;
  const reads = plane.passesPerMonth * plane.environments;
  const dynamodb =
    reads * PRICES.dynamoPerRead + plane.writesPerEnvironmentMonth * plane.environments * PRICES.dynamoPerWrite;
  const sqs = reads * PRICES.sqsPerRequest;
  const logGb = (reads * plane.logBytesPerPass) / 1024 ** 3;
  const cloudwatch =
    logGb * PRICES.logsPerGb + plane.metricsPerEnvironment * plane.environments * PRICES.perMetricMonth;
  return { lambda, dynamodb, sqs, cloudwatch, total: lambda + dynamodb + sqs + cloudwatch };
}

/** What `taskMinutes` of Fargate tasks of `vcpu` and `memoryGb` cost. */
export const fargateCost = (taskMinutes: number, vcpu: number, memoryGb: number): number =>
  (taskMinutes / 60) * (vcpu * PRICES.fargatePerVcpuHour + memoryGb * PRICES.fargatePerGbHour);
