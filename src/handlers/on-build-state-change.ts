import { eventHandlerAwaitingCapability } from './events/awaiting-capability.js';
import { codeBuildStateChangeEvent } from './events/schemas.js';

/** CodeBuild build state → the release's build record. */
export const handler = eventHandlerAwaitingCapability(
  codeBuildStateChangeEvent,
  ({ detail }) => ({ buildId: detail['build-id'], status: detail['build-status'] }),
  4,
);
