import '../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createScalingHistoryStore } from '../../src/aws/scaling-history-store.js';
import { stateTableDefinition } from '../../src/aws/state-table-definition.js';
import { readConductorConfigFile } from '../../src/config/file.js';
import { scalingHistorySchema } from '../../src/contract/scaling-history.js';
import type { ScalingObservation } from '../../src/domain/scaling-history.js';
import { HttpError } from '../../src/handlers/http/http-error.js';
import { scalingHistoryRoute } from '../../src/handlers/routes/scaling-history.js';
import { createScalingHistoryRecorder } from '../../src/use-cases/record-scaling-history.js';
import { callRoute } from '../support/route-call.js';

/** The autoscaler's record for the console's chart, kept in the state table and served by its route. */
const tableName = `history-${randomUUID().slice(0, 8)}`;
const store = createScalingHistoryStore(tableName);
const config = readConductorConfigFile('conductor.yml');
const RELEASE = 'arn:aws:iam::123456789012:role/cgap-release';
const NOW = new Date('2030-01-01T12:00:00Z');
const route = scalingHistoryRoute({ config, history: store, now: () => NOW });
const PATH = '/environments/cgap-mastertest/services/ingester/scaling-history';
const params = { env: 'cgap-mastertest', service: 'ingester' };

const at = (minutesBefore: number, second = 0) => new Date(NOW.getTime() - minutesBefore * 60_000 + second * 1000);

function check(when: Date, visible: number, desired: number, to = desired): ScalingObservation {
  return {
    environment: 'cgap-mastertest',
    queue: 'ingestion',
    at: when,
    backlog: { visible, inFlight: Math.min(visible, desired), delayed: 0 },
    counts: { desired, running: desired, pending: 0 },
    decision: { desiredCount: to, change: to !== desired, reason: `need ${to} for ${visible} messages` },
  };
}

beforeAll(async () => {
  await new DynamoDBClient({}).send(
    new CreateTableCommand({
      TableName: tableName,
      // The keys of the state table; its index is left out (this record is never listed through it).
      AttributeDefinitions: stateTableDefinition.AttributeDefinitions.filter((definition) =>
        stateTableDefinition.KeySchema.some((key) => key.AttributeName === definition.AttributeName),
      ).map((definition) => ({ ...definition })),
      KeySchema: stateTableDefinition.KeySchema.map((key) => ({ ...key })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const recorder = createScalingHistoryRecorder(store, (error) => {
    throw error;
  });
  // Two hours of checks every 15 s would be 480; the recorder keeps one a minute and each change.
  for (let minute = 90; minute >= 1; minute -= 1)
    for (const second of [0, 15, 30, 45])
      await recorder.observe([check(at(minute, second), minute === 30 ? 7 : 0, minute > 30 ? 1 : 4)]);
  // What the autoscaler learned of its wake-ups travels with the decision.
  const wakeUp = check(at(30, 50), 7, 1, 4);
  await recorder.observe([{ ...wakeUp, decision: { ...wakeUp.decision, usualWakeup: 3 } }]);
  // Older than the window asked for below.
  await recorder.observe([check(at(600), 3, 1)]);
});

describe('the scaling history', () => {
  it('serves one sample a minute and each decision with its reason, in the API contract', async () => {
    const reply = await callRoute(route, `${PATH}?hours=2`, RELEASE, { pathParameters: params });
    expect(reply.statusCode).toBe(200);
    const history = scalingHistorySchema.parse(reply.json);
    expect(history).toMatchObject({ environment: 'cgap-mastertest', service: 'ingester', queue: 'ingestion' });
    expect(history.samples).toHaveLength(90);
    expect(history.samples[0]).toEqual({ at: at(90).toISOString(), visible: 0, inFlight: 0, desired: 1, running: 1 });
    // The change at 30 min 50 s replaced that minute's sample: the latest word of the minute stays.
    expect(history.samples.find((sample) => sample.at === at(30, 50).toISOString())).toMatchObject({ visible: 7 });
    expect(history.decisions).toEqual([
      { at: at(30, 50).toISOString(), from: 1, to: 4, reason: 'need 4 for 7 messages', usualWakeup: 3 },
    ]);
    expect(history.samples.map((sample) => sample.at)).toEqual([...history.samples.map((sample) => sample.at)].sort());
  });

  it('keeps one compact item per hour in its own partition, expiring a week after its hour', async () => {
    const items = (await new DynamoDBClient({}).send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    expect(new Set(items.map((item) => item.pk?.S))).toEqual(new Set(['SCALEHIST#cgap-mastertest#ingestion']));
    expect(items.map((item) => item.sk?.S).sort()).toEqual(['2030-01-01T02', '2030-01-01T10', '2030-01-01T11']);
    const hour11 = items.find((item) => item.sk?.S === '2030-01-01T11');
    expect(Number(hour11?.expiration?.N)).toBe(Date.parse('2030-01-01T11:00:00Z') / 1000 + 169 * 3600);
    expect(JSON.stringify(hour11).length).toBeLessThan(4096);
  });

  it('answers as the API does: 404 for an unknown service, 422 for one no queue drives, 403 for an outsider', async () => {
    const refusal = async (path: string, principal: string, pathParameters: Record<string, string>) => {
      const error = await callRoute(route, path, principal, { pathParameters }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HttpError);
      return error as HttpError;
    };
    expect((await refusal(PATH, RELEASE, { ...params, service: 'nope' })).statusCode).toBe(404);
    expect(await refusal(PATH, RELEASE, { ...params, service: 'wsgi' })).toMatchObject({
      statusCode: 422,
      code: 'NOT_SCALABLE',
    });
    expect((await refusal(PATH, 'arn:aws:iam::123456789012:role/outsider', params)).statusCode).toBe(403);
    expect((await refusal(`${PATH}?hours=0`, RELEASE, params)).statusCode).toBe(422);
  });
});
