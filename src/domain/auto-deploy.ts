import type { EnvironmentConfig } from '../config/schema.js';
import type { Release } from './release.js';

/** Whether a built release rolls out by itself: its version matches the environment's auto-deploy pattern. */
export function shouldAutoDeploy(env: EnvironmentConfig, release: Release): boolean {
  const pattern = env.rollout.autoDeployPattern;
  return (
    release.state === 'BUILT' &&
    release.rollout === undefined &&
    pattern !== undefined &&
    new RegExp(pattern).test(release.version)
  );
}

/** Whether the routine deployment task is due again (CGAP must rotate access keys at least every 90 days). */
export function deploymentRerunDue(env: EnvironmentConfig, lastRunAt: string | undefined, now: Date): boolean {
  const days = env.rollout.rerunDeploymentEveryDays;
  if (days === undefined || env.rollout.deploymentTask === undefined || lastRunAt === undefined) return false;
  return now.getTime() - Date.parse(lastRunAt) >= days * 86_400_000;
}
