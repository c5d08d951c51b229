import { describe, expect, it } from 'vitest';
import { beginRollout, failRelease } from '../../../src/domain/rollout.js';
import {
  autoDeployedSummary,
  chainSummary,
  environmentFailure,
  ignoredSummary,
  pushSummary,
  rolloutEventSummary,
  scalingSummary,
} from '../../../src/handlers/summaries.js';
import type { AutoscaleOutcome } from '../../../src/use-cases/autoscale-service.js';
import { builtRelease, buildingRelease } from '../../support/release-fixtures.js';

const AT = new Date('2026-11-25T15:00:00Z');
const ENV = 'cgap-mastertest';
/** What `aws lambda invoke` writes: the summary after a JSON round trip must be the summary. */
const asInvoked = (summary: unknown) => JSON.parse(JSON.stringify(summary)) as unknown;

describe('what an invoked function returns', () => {
  it('a push: the release, its state and the builds this delivery started', () => {
    const release = buildingRelease(ENV, '1.4.0', AT);
    expect(asInvoked(pushSummary(release, ['wsgi', 'indexer']))).toEqual({
      releaseId: release.id,
      environment: ENV,
      version: '1.4.0',
      releaseState: 'BUILDING',
      buildsStarted: ['wsgi', 'indexer'],
    });
  });

  it('a single-image push that auto-deployed: the release as the rollout left it', () => {
    const built = builtRelease(ENV, '1.4.0', AT);
    const deploying = beginRollout(built, [], { kind: 'deploy', triggeredBy: 't', lockOwner: 'o' }, AT);
    const summary = pushSummary(built, [], { kind: 'started', release: deploying });
    expect(summary).toMatchObject({ releaseState: 'DEPLOYING', autoDeploy: 'started', buildsStarted: [] });
    expect(autoDeployedSummary(built, { kind: 'deferred', releaseId: built.id, reason: 'busy' })).toMatchObject({
      releaseState: 'BUILT',
      autoDeploy: 'deferred: busy',
    });
    expect(autoDeployedSummary(built, { kind: 'not-due' }).autoDeploy).toBe('not due');
  });

  it('a rollout event: the release id and resulting state, with the failure reason when it failed', () => {
    const deploying = beginRollout(
      builtRelease(ENV, '1.4.0', AT),
      [{ kind: 'task', task: 'deployment' }],
      { kind: 'deploy', triggeredBy: 't', lockOwner: 'o' },
      AT,
    );
    const failed = failRelease(deploying, 'task', 'task deployment exited 3', AT);
    const fields = { taskArn: 'arn:task/1', stopCode: 'EssentialContainerExited', exitCodes: [{ app: 3 }] };
    expect(asInvoked(rolloutEventSummary(failed.id, failed, fields))).toEqual({
      outcome: 'recorded',
      ...fields,
      releaseId: failed.id,
      environment: ENV,
      version: '1.4.0',
      releaseState: 'FAILED',
      failure: 'task deployment exited 3',
    });
  });

  it('an event about no known release, and an ignored event, say why', () => {
    expect(rolloutEventSummary('rel-gone', undefined, { deploymentId: 'd-1' })).toEqual({
      outcome: 'ignored',
      reason: 'release rel-gone is unknown to this conductor',
      deploymentId: 'd-1',
    });
    // The reason and outcome win over fields of the same name.
    expect(ignoredSummary('no outcome yet', { buildId: 'b', reason: 'x' })).toEqual({
      outcome: 'ignored',
      reason: 'no outcome yet',
      buildId: 'b',
    });
  });

  it('an autoscale pass: each service’s desired count from → to and why, or no change', () => {
    const outcome = (desired: number, to: number, applied = true) =>
      ({
        environment: ENV,
        queue: 'ingestion',
        service: 'ingester',
        at: AT,
        counts: { desired, running: desired, pending: 0 },
        backlog: { visible: 15, inFlight: 0, delayed: 0 },
        decision: { desiredCount: to, change: desired !== to, reason: `backlog 15 → ${String(to)}` },
        applied,
        recorded: true,
      }) as unknown as AutoscaleOutcome;
    const scaled = scalingSummary(outcome(1, 4));
    expect(asInvoked(scaled)).toEqual({
      environment: ENV,
      service: 'ingester',
      queue: 'ingestion',
      desired: { from: 1, to: 4 },
      action: 'scaled',
      reason: 'backlog 15 → 4',
    });
    expect(scalingSummary(outcome(4, 4)).action).toBe('no change');
    expect(scalingSummary(outcome(1, 4, false)).action).toBe('decided by another invocation');

    const ran = chainSummary('schedule', { step: { action: 'advance', tick: {} as never }, ran: true }, [
      scaled,
      environmentFailure('cgap-prod', new Error('AccessDenied')),
    ]);
    expect(asInvoked(ran)).toEqual({
      trigger: 'schedule',
      ran: true,
      action: 'advance',
      decisions: [scaled, { environment: 'cgap-prod', error: 'AccessDenied' }],
    });
    const idle = chainSummary('schedule', { step: { action: 'none', reason: 'chain alive' }, ran: false }, []);
    expect(idle).toEqual({ trigger: 'schedule', ran: false, action: 'none', reason: 'chain alive', decisions: [] });
  });
});
