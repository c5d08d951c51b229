/**
 * us-east-1 list prices (USD) the bill is priced at, before any free tier (README, "The
 * autoscaler's own bill", links each page). Lambda at arm64, as serverless.yml deploys it.
 */
export const PRICES = {
  /** aws.amazon.com/lambda/pricing: Arm, first 7.5 billion GB-s a month. */
  lambdaGbSecond: 0.0000133334,
  /** aws.amazon.com/lambda/pricing: per request. */
  lambdaRequest: 0.2 / 1e6,
  /** aws.amazon.com/dynamodb/pricing/on-demand: per write request unit (1 KB), since Nov 2024. */
  dynamoWrite: 0.625 / 1e6,
  /** The same page: per read request unit (a strongly consistent read of up to 4 KB). */
  dynamoRead: 0.125 / 1e6,
  /** aws.amazon.com/sqs/pricing: standard queue, per request (every API action counts), after the first million. */
  sqsRequest: 0.4 / 1e6,
  /** aws.amazon.com/cloudwatch/pricing: logs ingested, per GB. */
  logsGb: 0.5,
  /** aws.amazon.com/fargate/pricing: Linux/Arm, per vCPU-hour and per GB-hour, for the task-minute yardstick. */
  fargateVcpuHour: 0.03238,
  fargateGbHour: 0.00356,
} as const;

/** The smallest Fargate task (0.25 vCPU, 0.5 GB, Arm): what one task-minute of a policy costs at least. */
export const TASK_MINUTE = (0.25 * PRICES.fargateVcpuHour + 0.5 * PRICES.fargateGbHour) / 60;
