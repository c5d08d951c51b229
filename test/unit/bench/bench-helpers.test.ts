import { describe, expect, it } from 'vitest';
import { budgetFor, checkBudget } from '../../../bench/bundle/budget.js';
import { contributorOf } from '../../../bench/bundle/contributors.js';
import { roundOrder } from '../../../bench/cold/rounds.js';
import { environmentName, fanoutConfigDocument } from '../../../bench/fanout/config.js';
import { machineLine } from '../../../bench/lib/machine.js';
import { countByOperation, isWrite, operationOf } from '../../../bench/lib/operations.js';
import { median, percentile, summarize } from '../../../bench/lib/stats.js';
import { ENVIRONMENT, overheadConfigDocument } from '../../../bench/overhead/config.js';
import { pushEvent } from '../../../bench/overhead/pushes.js';
import { ecrImageActionEvent } from '../../../src/handlers/events/schemas.js';
import { parseConductorConfig } from '../../../src/config/load.js';

describe('stats', () => {
  it('takes medians and nearest-rank percentiles from the samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(summarize([5, 1, 3])).toEqual({ count: 3, median: 3, p95: 5, p99: 5 });
    expect(() => median([])).toThrow('no samples');
  });
});

describe('cold-start rounds', () => {
  it('runs every subject once per round, rotating who goes first', () => {
    expect(roundOrder(['bare', 'a', 'b'], 0)).toEqual(['bare', 'a', 'b']);
    expect(roundOrder(['bare', 'a', 'b'], 1)).toEqual(['a', 'b', 'bare']);
    expect(roundOrder(['bare', 'a', 'b'], 5)).toEqual(['b', 'bare', 'a']);
  });
});

describe('bundle budget', () => {
  it('adds the headroom, rounded up to whole kilobytes, and fails a bundle past it or without one', () => {
    const budget = budgetFor([{ name: 'autoscale', bytes: 339_459 }], 12);
    expect(budget.maxBundleBytes).toEqual({ autoscale: 381_000 });
    expect(
      checkBudget(budget, [
        { name: 'autoscale', bytes: 381_000 },
        { name: 'api', bytes: 1 },
      ]),
    ).toEqual([
      { name: 'autoscale', bytes: 381_000, max: 381_000, within: true },
      { name: 'api', bytes: 1, max: undefined, within: false },
    ]);
    expect(checkBudget(budget, [{ name: 'autoscale', bytes: 381_001 }])[0]?.within).toBe(false);
  });

  it('groups metafile inputs by package, the SDK cores by submodule, our code by folder', () => {
    expect(contributorOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(contributorOf('node_modules/@aws-sdk/client-ecs/dist-es/ECSClient.js')).toBe('@aws-sdk/client-ecs');
    expect(contributorOf('node_modules/@smithy/core/dist-es/submodules/protocols/HttpProtocol.js')).toBe(
      '@smithy/core/protocols',
    );
    expect(contributorOf('src/aws/ecs.ts')).toBe('src/aws');
  });
});

describe('AWS operations seen at a proxy', () => {
  it('names JSON-protocol calls by their target and query-protocol calls by their action', () => {
    expect(operationOf({ target: 'AmazonEC2ContainerServiceV20141113.DescribeServices', body: '{}' })).toBe(
      'ecs:DescribeServices',
    );
    expect(operationOf({ target: 'DynamoDB_20120810.UpdateItem', body: '{}' })).toBe('dynamodb:UpdateItem');
    expect(operationOf({ target: '', body: 'Action=Publish&Version=2010-03-31' })).toBe('query:Publish');
    expect(isWrite('dynamodb:UpdateItem')).toBe(true);
    expect(isWrite('codebuild:StartBuild')).toBe(true);
    expect(isWrite('dynamodb:GetItem')).toBe(false);
    expect(isWrite('sqs:GetQueueAttributes')).toBe(false);
    expect(
      countByOperation([
        { target: 'AmazonSQS.GetQueueAttributes', body: '' },
        { target: 'AmazonSQS.GetQueueAttributes', body: '' },
      ]),
    ).toEqual({
      'sqs:GetQueueAttributes': 2,
    });
  });
});

describe('benchmark configs', () => {
  it('copies cgap-mastertest under a name per environment, with its own resources and the seeded network', () => {
    const config = parseConductorConfig(fanoutConfigDocument(10));
    expect(Object.keys(config.environments)).toHaveLength(10);
    const env = config.environments[environmentName(10, 6)];
    expect(env?.cluster).toBe('f10-007');
    expect(env?.queues.ingestion?.queue).toBe('f10-007-ingestion-queue');
    expect(env?.deploymentTasks.deployment?.network.subnets).toEqual([
      'subnet-ebd96fe8eaa249657',
      'subnet-fdf3a11f590d757dc',
    ]);
  });

  it('cuts cgap-mastertest to one entrypoint for the overhead run, and makes distinct valid pushes', () => {
    const env = parseConductorConfig(overheadConfigDocument()).environments[ENVIRONMENT];
    expect(env?.entrypoints.map((entrypoint) => entrypoint.name)).toEqual(['wsgi']);
    const [first, second] = [pushEvent(ENVIRONMENT, 0), pushEvent(ENVIRONMENT, 1)];
    expect(ecrImageActionEvent.safeParse(first).success).toBe(true);
    expect(first.detail['image-digest']).not.toBe(second.detail['image-digest']);
    expect(second.detail['image-tag']).toBe('1.0.1');
  });
});

describe('machine line', () => {
  it('names the CPU, cores, memory, node version and load', () => {
    const line = machineLine({
      cpu: 'AMD EPYC',
      cores: 2,
      memoryGiB: 23.5,
      node: 'v20.20.2',
      os: 'Linux 6.8',
      load: [3.46, 4.2, 4.1],
    });
    expect(line).toBe(
      'machine: AMD EPYC, 2 cores, 23.5 GiB, Node v20.20.2, Linux 6.8; load 3.5 / 4.2 / 4.1 (1/5/15 min)',
    );
  });
});
