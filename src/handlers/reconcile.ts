import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { reconcileEnvironment, type ReconcileReport } from '../use-cases/reconcile-environment.js';
import { logger } from './observability.js';
import { environmentFailure, type EnvironmentFailure } from './summaries.js';
import { config, releasePorts } from './wiring.js';
import { forEachConcurrently } from './worker-pool.js';

/** Environments reconciled at once: bounded so a hundred environments do not burst AWS's rate limits. */
const CONCURRENCY = 4;

/**
 * Every minute: advance or fail active releases from ECS's real state, record builds whose events
 * were lost, and start what is due. One environment's failure does not stop the others.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event: unknown, context: Context) => {
    const reports: ReconcileReport[] = [];
    const errors: EnvironmentFailure[] = [];
    const environments = Object.entries(config.environments).map(([name, env]) => ({ name, env }));
    await forEachConcurrently(environments, CONCURRENCY, async (target) => {
      const environment = target.name;
      try {
        const ports = releasePorts(context.awsRequestId);
        const report = await reconcileEnvironment(ports, target, `${context.awsRequestId}-${environment}`);
        // A skipped re-run waits on an operator: a warning, not routine information.
        if (report.rerunSkipped) logger.warn('routine re-run skipped', { ...report });
        else logger.info('environment reconciled', { ...report });
        reports.push(report);
      } catch (error) {
        errors.push(environmentFailure(environment, error));
        logger.error('environment not reconciled', { environment, error });
      }
    });
    const failures = errors.map((failure) => failure.environment);
    if (failures.length > 0) logger.warn('reconcile tick finished with failures', { failures });
    return { outcome: 'reconciled', environments: reports, ...(errors.length > 0 ? { failures: errors } : {}) };
  });
