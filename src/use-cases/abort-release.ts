import { abortRollout, lastAbort, movingWork, type MovingWork } from '../domain/abort.js';
import type { NamedEnvironment } from '../domain/environment.js';
import { ecsServiceName } from '../domain/names.js';
import type { Release, TimelineEntry } from '../domain/release.js';
import { holdsRollout } from '../domain/release-states.js';
import { withTimeline } from '../domain/rollout.js';
import { endRollout } from './end-rollout.js';
import { NothingToAbortError } from './errors.js';
import type { RolloutPorts } from './roll-out.js';
import { lockHolder } from './start-rollout.js';

export interface AbortAsk {
  by: string;
  reason?: string | undefined;
}

/** Releases looked at to find an abort already done (the environment's newest). */
const RECENT = 10;

/** What the environment runs, in words, for a refusal: the current release, or none recorded. */
async function runsNow(ports: Pick<RolloutPorts, 'current' | 'releases'>, environment: string): Promise<string> {
  const current = await ports.current.current(environment);
  const release = current ? (await ports.releases.get(current.releaseId))?.release : undefined;
  return release ? `${release.version} (${release.id})` : 'no release the conductor recorded';
}

/** ECS's StopServiceDeployment needs a rolling service's deployment ARN: DescribeServices names it. */
async function deploymentArns(
  ports: Pick<RolloutPorts, 'services'>,
  { env }: NamedEnvironment,
  work: MovingWork,
): Promise<{ key: string; arn: string | undefined }[]> {
  const unnamed = work.services.filter((service) => !service.serviceDeploymentArn);
  const names = unnamed.map((service) => ecsServiceName(env, service.key));
  const described = names.length > 0 ? (await ports.services.describeServices(env.cluster, names)).services : [];
  return work.services.map((service) => ({
    key: service.key,
    arn:
      service.serviceDeploymentArn ??
      described.find((state) => state.name === ecsServiceName(env, service.key))?.currentServiceDeployment,
  }));
}

/** Stops what moves: each service deployment (ROLLBACK) and the task, each outcome a timeline line. */
async function stopWork(
  ports: RolloutPorts,
  target: NamedEnvironment,
  work: MovingWork,
  reason: string,
): Promise<TimelineEntry[]> {
  const deployments = await deploymentArns(ports, target, work);
  const at = () => ports.now().toISOString();
  const stops = deployments.map(async ({ key, arn }): Promise<TimelineEntry> => {
    if (!arn)
      return { at: at(), step: `service ${key} not stopped`, detail: 'ECS named no service deployment to stop' };
    try {
      await ports.services.stopServiceDeployment(arn);
      return { at: at(), step: `service ${key} stopped`, detail: `StopServiceDeployment ROLLBACK of ${arn}` };
    } catch (error) {
      return { at: at(), step: `service ${key} not stopped`, detail: `${arn}: ${String(error)}` };
    }
  });
  const task = work.task;
  const taskStop = task
    ? ports.tasks.stopTask(target.env.cluster, task.taskArn, reason).then(
        (): TimelineEntry => ({ at: at(), step: `task ${task.key} stopped`, detail: task.taskArn }),
        (error: unknown): TimelineEntry => ({
          at: at(),
          step: `task ${task.key} not stopped`,
          detail: `${task.taskArn}: ${String(error)}`,
        }),
      )
    : undefined;
  return Promise.all([...stops, ...(taskStop ? [taskStop] : [])]);
}

/**
 * Aborts the release that moves in the environment: it ends FAILED (kind `aborted`) in one write, so
 * that no tick moves it on, then what ECS does for it is stopped and rolled back, and the environment
 * is freed (no automatic rollback follows: ECS's rollback is the abort's). Asked again, the abort
 * answers with the release it aborted; with nothing moving and nothing aborted, it is refused.
 */
export async function abortRelease(ports: RolloutPorts, target: NamedEnvironment, ask: AbortAsk): Promise<Release> {
  const { release: holder } = await lockHolder(ports, target.name);
  if (!holder || !holdsRollout(holder)) {
    const recent = await ports.releases.listForEnvironment(target.name, { limit: RECENT });
    const done = lastAbort(recent.releases);
    if (done) return done;
    throw new NothingToAbortError(target.name, await runsNow(ports, target.name));
  }
  const work = movingWork(holder);
  const moving = work.services.length > 0 || work.task !== undefined;
  const before = moving ? await runsNow(ports, target.name) : undefined;
  const rollsBackTo = before && `what ran before: ${before}`;
  const outcome: { ended: boolean; work: MovingWork } = { ended: false, work };
  const aborted = await ports.releases.update(holder.id, (latest) => {
    const next = abortRollout(latest, { ...ask, rollsBackTo }, ports.now());
    outcome.ended = holdsRollout(latest) && !holdsRollout(next);
    // What moves is read from the release as written, not as first read.
    if (outcome.ended) outcome.work = movingWork(latest);
    return next;
  });
  // The rollout ended meanwhile by itself: nothing of it is left to abort.
  if (!aborted || !outcome.ended) return abortRelease(ports, target, ask);
  const stopped = await stopWork(ports, target, outcome.work, aborted.failure?.reason ?? 'aborted');
  const recorded = (await ports.releases.update(aborted.id, (latest) => withTimeline(latest, stopped))) ?? aborted;
  await endRollout(ports, target, recorded);
  return recorded;
}
