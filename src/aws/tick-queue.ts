import type { TickQueue } from '../use-cases/ports.js';
import type { SqsAdapter } from './sqs.js';

/** The autoscaler's tick queue: a tick is a JSON message (read back by domain `parseTick`), sent delayed. */
export function createTickQueue(sqs: SqsAdapter, queue: string): TickQueue {
  return {
    send: (tick, delaySeconds) =>
      sqs.sendMessage(queue, JSON.stringify({ chainId: tick.chainId, seq: tick.seq }), Math.round(delaySeconds)),
  };
}
