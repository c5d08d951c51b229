import { tickHandlerAwaitingCapability } from './events/awaiting-capability.js';

/** Every minute: each queue-driven service's desired count from its SQS backlog. */
export const handler = tickHandlerAwaitingCapability(6);
