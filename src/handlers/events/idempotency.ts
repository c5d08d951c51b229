import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { createIdempotencyStore } from '../../aws/idempotency-store.js';
import { settings } from '../wiring.js';

/**
 * The event functions' part of the composition root: only they bundle Powertools' idempotency, so
 * its store is built here rather than in wiring.ts, which every function imports.
 *
 * Runs the handler once per natural key (a JMESPath over the event), however often EventBridge
 * delivers it; a delivery while the first is still running fails and is retried by Lambda.
 */
export function idempotentOn(eventKeyJmesPath: string) {
  return makeHandlerIdempotent({
    persistenceStore: createIdempotencyStore(settings.tableName),
    config: new IdempotencyConfig({ eventKeyJmesPath, expiresAfterSeconds: 24 * 3600, throwOnNoIdempotencyKey: true }),
  });
}
