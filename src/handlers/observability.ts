import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CONDUCTOR_SERVICE, STUCK_RELEASE_METRIC } from '../domain/names.js';
import type { AutoDeployOutcome } from '../use-cases/auto-deploy-release.js';
import type { RolloutMetrics } from '../use-cases/ports.js';

/** One logger for every handler: structured JSON, service name from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger({ serviceName: CONDUCTOR_SERVICE });

const releaseMetrics = new Metrics({ namespace: STUCK_RELEASE_METRIC.namespace, serviceName: CONDUCTOR_SERVICE });

/** A step that ran past its timeout: counted for the StuckReleaseAlarm, logged with its release. */
export const rolloutMetrics: RolloutMetrics = {
  stepTimedOut: (release) => {
    const { id: releaseId, environment, failure } = release;
    logger.error('release step timed out', { releaseId, environment, failure });
    releaseMetrics.singleMetric().addMetric(STUCK_RELEASE_METRIC.name, MetricUnit.Count, 1);
  },
};

/** What an auto-deploy did, in one line. */
export function logAutoDeploy(outcome: AutoDeployOutcome): void {
  if (outcome.kind === 'started')
    logger.info('auto-deploy started', { releaseId: outcome.release.id, releaseState: outcome.release.state });
  if (outcome.kind === 'deferred')
    logger.info('auto-deploy deferred', { releaseId: outcome.releaseId, reason: outcome.reason });
}
