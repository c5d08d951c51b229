import { tickHandlerAwaitingCapability } from './events/awaiting-capability.js';

/** Every minute: advance or fail active releases from ECS's real state (events are best effort). */
export const handler = tickHandlerAwaitingCapability(5);
