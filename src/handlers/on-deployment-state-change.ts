import { eventHandlerAwaitingCapability } from './events/awaiting-capability.js';
import { ecsDeploymentStateChangeEvent } from './events/schemas.js';

/** A service deployment COMPLETED or FAILED → the release advances or fails. */
export const handler = eventHandlerAwaitingCapability(
  ecsDeploymentStateChangeEvent,
  ({ detail }) => ({ deploymentId: detail.deploymentId, eventName: detail.eventName }),
  5,
);
