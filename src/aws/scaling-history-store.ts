import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SCALING_HISTORY_RETENTION_HOURS } from '../contract/scaling-history-path.js';
import { hourOf, minuteOf, type ScalingDecisionPoint, type ScalingSample } from '../domain/scaling-history.js';
import type { ScalingHistoryPort } from '../use-cases/record-scaling-history.js';
import { callAws } from './errors.js';
import { dynamoDbClient } from './state-table.js';

/**
 * The scaling history in the state table: one item per queue-driven service per hour at
 * `SCALEHIST#<env>#<queue>` / `<hour>` (its own partition, so the autoscaler's Query of `ENV#<env>`
 * never reads it), expiring by TTL after the retention. Compact: a sample is `m<MM>` =
 * [visible, inFlight, desired, running, second]; a decision `c<MMSSmmm>` = [from, to, reason,
 * usualWakeup] (the last cell absent in items written before it was kept).
 * Every write is an idempotent SET of those names: a retry or a later sample of the minute overwrites.
 */

type SampleCells = [number, number, number, number, number];
type DecisionCells = [number, number, string, number?];

const pk = (environment: string, queue: string) => `SCALEHIST#${environment}#${queue}`;
const two = (value: number) => String(value).padStart(2, '0');

function expirationOf(at: Date): number {
  const hourStart = Date.parse(`${hourOf(at)}:00:00.000Z`) / 1000;
  return hourStart + (SCALING_HISTORY_RETENTION_HOURS + 1) * 3600;
}

/** `2026-11-27T09` + minute, second, millisecond → ISO time. */
const timeIn = (hour: string, minute: string, second: string, ms = '000') => `${hour}:${minute}:${second}.${ms}Z`;

function decode(item: Record<string, unknown>): { samples: ScalingSample[]; decisions: ScalingDecisionPoint[] } {
  const hour = String(item.sk);
  const samples: ScalingSample[] = [];
  const decisions: ScalingDecisionPoint[] = [];
  for (const [name, value] of Object.entries(item)) {
    const sample = /^m(\d\d)$/.exec(name);
    if (sample?.[1] && Array.isArray(value)) {
      const [visible, inFlight, desired, running, second] = value as SampleCells;
      samples.push({ at: timeIn(hour, sample[1], two(second)), visible, inFlight, desired, running });
    }
    const change = /^c(\d\d)(\d\d)(\d{3})$/.exec(name);
    if (change?.[1] && change[2] && change[3] && Array.isArray(value)) {
      const [from, to, reason, usualWakeup] = value as DecisionCells;
      const at = timeIn(hour, change[1], change[2], change[3]);
      decisions.push({ at, from, to, reason, ...(typeof usualWakeup === 'number' ? { usualWakeup } : {}) });
    }
  }
  return { samples, decisions };
}

export function createScalingHistoryStore(
  tableName: string,
  client = DynamoDBDocumentClient.from(dynamoDbClient),
): ScalingHistoryPort {
  const record: ScalingHistoryPort['record'] = async (environment, queue, entry) => {
    const at = new Date(entry.sample.at);
    const names: Record<string, string> = { '#sample': `m${two(minuteOf(at))}`, '#expiration': 'expiration' };
    const values: Record<string, unknown> = {
      ':sample': [
        entry.sample.visible,
        entry.sample.inFlight,
        entry.sample.desired,
        entry.sample.running,
        at.getUTCSeconds(),
      ],
      ':expiration': expirationOf(at),
    };
    const sets = ['#sample = :sample', '#expiration = :expiration'];
    if (entry.decision) {
      const when = new Date(entry.decision.at);
      names['#decision'] =
        `c${two(when.getUTCMinutes())}${two(when.getUTCSeconds())}${String(when.getUTCMilliseconds()).padStart(3, '0')}`;
      const { from, to, reason, usualWakeup } = entry.decision;
      values[':decision'] = usualWakeup === undefined ? [from, to, reason] : [from, to, reason, usualWakeup];
      sets.push('#decision = :decision');
    }
    await callAws('dynamodb:UpdateItem', `scaling history of ${environment}/${queue} in table ${tableName}`, () =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: pk(environment, queue), sk: hourOf(at) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  };

  const read: ScalingHistoryPort['read'] = async (environment, queue, from, to) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await callAws(
        'dynamodb:Query',
        `scaling history of ${environment}/${queue} in table ${tableName}`,
        () =>
          client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':pk': pk(environment, queue), ':from': hourOf(from), ':to': hourOf(to) },
              ExclusiveStartKey: start,
            }),
          ),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const within = (at: string) => at >= from.toISOString() && at <= to.toISOString();
    const decoded = items.map(decode);
    const byTime = (a: { at: string }, b: { at: string }) => a.at.localeCompare(b.at);
    return {
      samples: decoded
        .flatMap((hour) => hour.samples)
        .filter((sample) => within(sample.at))
        .sort(byTime),
      decisions: decoded
        .flatMap((hour) => hour.decisions)
        .filter((decision) => within(decision.at))
        .sort(byTime),
    };
  };

  return { record, read };
}
