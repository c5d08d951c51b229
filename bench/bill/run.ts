/**
 * `npm run bench:bill`: the autoscaler's monthly bill for 1 and 10 environments, before (sleeping
 * between re-checks) and after (the tick chain), at the list prices of prices.ts, with the
 * assumptions it rests on. Prints a Markdown table (docs/autoscaling.md, "The autoscaler's own bill").
 */
import { AFTER, ASSUMPTIONS, BEFORE, monthlyBill, type Bill } from './model.js';
import { PRICES, TASK_MINUTE } from './prices.js';

if (process.argv.includes('--measure')) {
  const { measurePasses } = await import('./measure.js');
  await measurePasses();
}

const usd = (value: number) => `$${value < 10 ? value.toFixed(2) : value.toFixed(1)}`;
const thousands = (value: number) => `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`;

function row(label: string, environments: number, bill: Bill): string {
  const { dollars } = bill;
  return [
    label,
    String(environments),
    `${thousands(bill.gbSeconds)} GB-s, ${thousands(bill.invocations)} req ${usd(dollars.lambda)}`,
    `${thousands(bill.dynamoReads)} RRU, ${thousands(bill.dynamoWrites)} WRU ${usd(dollars.dynamodb)}`,
    `${thousands(bill.sqsRequests)} ${usd(dollars.sqs)}`,
    `${bill.logGb.toFixed(2)} GB ${usd(dollars.logs)}`,
    `${thousands(bill.ecsCalls)} (free)`,
    `**${usd(dollars.total)}**`,
    Math.round(dollars.total / TASK_MINUTE).toLocaleString('en-US'),
  ].join(' | ');
}

const lines = [
  '| design | envs | Lambda | DynamoDB | SQS requests | logs | ECS DescribeServices | a month | = task-minutes |',
  '| :-- | --: | --: | --: | --: | --: | --: | --: | --: |',
];
for (const [label, design] of [
  ['before', BEFORE],
  ['after', AFTER],
] as const) {
  for (const environments of [1, 10]) lines.push(`| ${row(label, environments, monthlyBill(design, environments))} |`);
}

console.log(`${BEFORE.name}\n${AFTER.name}\n`);
console.log(lines.join('\n'));
console.log(`
Prices (us-east-1, USD, before free tiers): Lambda Arm $${PRICES.lambdaGbSecond}/GB-s and $${PRICES.lambdaRequest * 1e6}/M requests;
DynamoDB on-demand $${PRICES.dynamoRead * 1e6}/M RRU and $${PRICES.dynamoWrite * 1e6}/M WRU; SQS $${PRICES.sqsRequest * 1e6}/M requests;
CloudWatch Logs $${PRICES.logsGb}/GB ingested. A task-minute: 0.25 vCPU + 0.5 GB Fargate Arm = $${(TASK_MINUTE * 60).toFixed(5)}/h.
Assumptions: a pass is billed ${ASSUMPTIONS.passMs(1)} ms for 1 environment, ${ASSUMPTIONS.passMs(10)} ms for 10; an idle schedule ${ASSUMPTIONS.idleScheduleMs} ms;
${ASSUMPTIONS.queuesPerEnvironment} queue-driven service per environment; ${ASSUMPTIONS.idleReceivesPerMinute} idle ReceiveMessage/min by Lambda's pollers;
a history write ${ASSUMPTIONS.historyWriteUnits} WRU; ${ASSUMPTIONS.logBytesPerServicePass} log bytes per service and pass, ${ASSUMPTIONS.logBytesPerInvocation} per invocation.`);
