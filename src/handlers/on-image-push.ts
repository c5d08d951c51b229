import { eventHandlerAwaitingCapability } from './events/awaiting-capability.js';
import { ecrImageActionEvent } from './events/schemas.js';

/** ECR push of a release's source image → one CodeBuild build per entrypoint. */
export const handler = eventHandlerAwaitingCapability(
  ecrImageActionEvent,
  ({ detail }) => ({ repository: detail['repository-name'], tag: detail['image-tag'], digest: detail['image-digest'] }),
  4,
);
