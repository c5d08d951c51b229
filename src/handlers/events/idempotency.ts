import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { idempotencyStore } from '../wiring.js';

/**
 * Runs the handler once per natural key (a JMESPath over the event), however often EventBridge
 * delivers it; a delivery while the first is still running fails and is retried by Lambda.
 */
export function idempotentOn(eventKeyJmesPath: string) {
  return makeHandlerIdempotent({
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({ eventKeyJmesPath, expiresAfterSeconds: 24 * 3600, throwOnNoIdempotencyKey: true }),
  });
}
