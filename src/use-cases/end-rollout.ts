import type { ReleaseStore } from '../aws/release-store.js';
import type { ConductorConfig } from '../config/schema.js';
import { markRolledBack, type Release } from '../domain/release.js';

export type ReleaseNotice = 'started' | 'completed' | 'failed';

export interface EndRolloutPorts {
  releases: Pick<ReleaseStore, 'get' | 'update' | 'unlockEnvironment' | 'setCurrent' | 'current'>;
  notify: (release: Release, event: ReleaseNotice) => Promise<void>;
  /** Rolls the environment back from `failedReleaseId` to its previous completed release. */
  rollBack: (environment: string, fromReleaseId: string, triggeredBy: string) => Promise<unknown>;
  now: () => Date;
}

/**
 * After the write that ended a rollout: free the environment, record what it runs now, mark a
 * rolled-back release, notify, and roll back automatically where the environment asks for it.
 */
export async function endRollout(ports: EndRolloutPorts, config: ConductorConfig, release: Release): Promise<void> {
  const rollout = release.rollout;
  if (!rollout) return;
  await ports.releases.unlockEnvironment(release.environment, rollout.lockOwner);
  if (release.state === 'COMPLETED') {
    const ranTask = rollout.steps.some((step) => step.kind === 'task');
    const previous = await ports.releases.current(release.environment);
    const at = release.completedAt ?? ports.now().toISOString();
    await ports.releases.setCurrent(release.environment, {
      releaseId: release.id,
      since: previous?.releaseId === release.id ? previous.since : at,
      deploymentTaskRunAt: ranTask ? at : (previous?.deploymentTaskRunAt ?? at),
    });
    if (rollout.rollingBackFrom) {
      await ports.releases.update(rollout.rollingBackFrom, (from) => markRolledBack(from, release.id, ports.now()));
    }
    await ports.notify(release, 'completed');
    return;
  }
  await ports.notify(release, 'failed');
  const env = config.environments[release.environment];
  if (release.state === 'FAILED' && env?.rollout.autoRollback && rollout.kind === 'deploy') {
    await ports.rollBack(release.environment, release.id, 'auto-rollback');
  }
}
