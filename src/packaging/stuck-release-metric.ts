/**
 * Metric the conductor emits when a release step runs past its timeout (a stuck rollout), and the
 * StuckReleaseAlarm watches. A module of its own, importing nothing, so the Lambdas that emit it do
 * not bundle the packaging code (and the config schema it reads) that defines the alarm.
 */
export const STUCK_RELEASE_METRIC = { namespace: 'EcsConductor', name: 'ReleaseStepTimeouts' } as const;
