import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  autoscaleTickQueueName,
  CONDUCTOR_SERVICE,
  conductorFunctionName,
  DEFAULT_METRICS_NAMESPACE,
  stateTableName,
} from '../../../src/domain/names.js';

/**
 * serverless.yml writes the conductor's resource names for CloudFormation; domain/names.ts is where
 * the code takes them from. Both must say the same, or a Lambda looks for a table that is not there.
 */
const serverless = parseDocument(readFileSync(new URL('../../../serverless.yml', import.meta.url), 'utf8'), {
  // CloudFormation's short tags (!Ref, !GetAtt, …) mean nothing here: keep them as plain values.
  customTags: ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'Select', 'Split', 'ImportValue'].map((tag) => ({
    tag: `!${tag}`,
    resolve: (value: unknown) => value,
  })),
}).toJS() as {
  service: string;
  provider: { environment: Record<string, string> };
  custom: Record<string, string>;
  functions: Record<string, unknown>;
};
const STAGE = '${sls:stage}';

describe('the resource names', () => {
  it('are the ones serverless.yml gives the service, table, tick queue and metrics namespace', () => {
    expect(serverless.service).toBe(CONDUCTOR_SERVICE);
    expect(serverless.provider.environment.POWERTOOLS_SERVICE_NAME).toBe(CONDUCTOR_SERVICE);
    expect(serverless.provider.environment.POWERTOOLS_METRICS_NAMESPACE).toBe(DEFAULT_METRICS_NAMESPACE);
    expect(serverless.custom.tableName).toBe(stateTableName(STAGE));
    expect(serverless.custom.autoscaleTickQueue).toBe(autoscaleTickQueueName(STAGE));
  });

  it('name each function as the Serverless Framework deploys it: service, stage, key', () => {
    expect(Object.keys(serverless.functions)).toContain('autoscale');
    expect(conductorFunctionName('dev', 'autoscale')).toBe(`${serverless.service}-dev-autoscale`);
  });
});
