import type { SQSRecord } from 'aws-lambda';
import { isPassRequest, parseTick, type ChainTrigger } from '../../domain/autoscale-chain.js';
import { logger } from '../observability.js';

/** What one invocation of the autoscaler asks for: a link of the tick chain, or one pass now. */
export type AutoscaleTrigger = ChainTrigger | { kind: 'request' };

/**
 * A tick per SQS record (batch size 1); a direct request for one pass now (`ecs-conductor local
 * autoscale`); else the schedule. A message that is no tick is dropped.
 */
export function triggersOf(event: unknown): AutoscaleTrigger[] {
  if (isPassRequest(event)) return [{ kind: 'request' }];
  const records = (event as { Records?: SQSRecord[] } | null)?.Records;
  if (!Array.isArray(records)) return [{ kind: 'schedule' }];
  return records.flatMap((message): ChainTrigger[] => {
    const tick = parseTick(message.body);
    if (!tick) logger.warn('not an autoscale tick; dropped', { messageId: message.messageId });
    return tick ? [{ kind: 'tick', tick }] : [];
  });
}
