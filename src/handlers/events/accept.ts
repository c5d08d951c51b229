import type * as z from 'zod/mini';
import { logger } from '../observability.js';

/**
 * Validates an EventBridge event at the edge. A foreign or malformed event is logged once and
 * dropped: throwing would only make Lambda retry an event that can never be handled.
 */
export function acceptEvent<S extends z.ZodMiniType>(schema: S, event: unknown): z.output<S> | undefined {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  logger.warn('event ignored: unexpected shape', {
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  });
  return undefined;
}
