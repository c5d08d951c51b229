import { eventHandlerAwaitingCapability } from './events/awaiting-capability.js';
import { ecsTaskStateChangeEvent } from './events/schemas.js';

/** A deployment task STOPPED → its release passes or fails on the exit code. */
export const handler = eventHandlerAwaitingCapability(
  ecsTaskStateChangeEvent,
  ({ detail }) => ({ taskArn: detail.taskArn, startedBy: detail.startedBy, stopCode: detail.stopCode }),
  5,
);
