/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (an esbuild alias in
 * serverless/esbuild.config.cjs). The SDK loads that module only for an operation with an event
 * stream, and none of the APIs the conductor calls has one. Bundled, its dynamic import made esbuild
 * wrap some 150 SDK modules in lazy initialisers and added 15 KB: about a tenth of a cold start's
 * CPU time. Tests and scripts run the sources unbundled, with the real module.
 */
function unsupported(): never {
  throw new Error('AWS event streams are not bundled into the conductor: no API it calls uses one');
}

export const EventStreamSerde = unsupported;
export const eventStreamSerdeProvider = unsupported;
