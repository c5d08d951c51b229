import { alarmWatchFor } from '../domain/alarm-watch.js';
import type { Release } from '../domain/release.js';
import { holdsRollout } from '../domain/release-states.js';
import { beginRollout, missingImages, planRollout, stepTimeoutMinutes, unrecordedPasses } from '../domain/rollout.js';
import type { RolloutKind, RolloutStep } from '../domain/rollout-state.js';
import type { GatePass } from '../domain/gates.js';
import type { ReleasePorts } from './ports.js';
import type { NamedEnvironment, Environment } from '../domain/environment.js';

/** Another rollout holds the environment. */
export class RolloutConflictError extends Error {
  override readonly name = 'RolloutConflictError';

  constructor(
    readonly environment: string,
    readonly activeReleaseId: string,
    /** What the holder is doing, e.g. `BAKING until …`, when known. */
    activity?: string,
  ) {
    super(`environment ${environment} is busy with release ${activeReleaseId}${activity ? ` (${activity})` : ''}`);
  }
}

/** The release holding the environment's lock, as stored (undefined when the lock is free or its release gone). */
export async function lockHolder(
  ports: Pick<StartRolloutPorts, 'locks' | 'releases'>,
  environment: string,
): Promise<{ releaseId: string | undefined; release: Release | undefined }> {
  const holder = await ports.locks.holder(environment);
  const release = holder ? (await ports.releases.get(holder.releaseId))?.release : undefined;
  return { releaseId: holder?.releaseId, release };
}

/** The conflict with the rollout holding the environment, saying whether it deploys or bakes (and until when). */
export async function conflictWithHolder(
  ports: Pick<StartRolloutPorts, 'locks' | 'releases'>,
  environment: string,
): Promise<RolloutConflictError> {
  return conflictWith(environment, await lockHolder(ports, environment));
}

function conflictWith(environment: string, { releaseId, release }: Awaited<ReturnType<typeof lockHolder>>) {
  const until = release?.state === 'BAKING' ? release.rollout?.watch?.bakeUntil : undefined;
  const activity = release && holdsRollout(release) ? `${release.state}${until ? ` until ${until}` : ''}` : undefined;
  return new RolloutConflictError(environment, releaseId ?? 'unknown', activity);
}

/**
 * Refuses a request while a rollout (its steps or its bake) holds the environment: a deploy that would
 * wait for approval is refused at once too, rather than queued behind the bake.
 */
export async function refuseWhileRollingOut(ports: StartRolloutPorts, environment: string): Promise<void> {
  const holding = await lockHolder(ports, environment);
  if (holding.release && holdsRollout(holding.release)) throw conflictWith(environment, holding);
}

/** The release cannot be rolled out as asked; `field` names the request field at fault. */
export class NotDeployableError extends Error {
  override readonly name = 'NotDeployableError';

  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export type StartRolloutPorts = Pick<ReleasePorts, 'releases' | 'locks' | 'notifier' | 'now'>;

export interface RolloutRequest {
  releaseId: string;
  kind: RolloutKind;
  task?: string | undefined;
  triggeredBy: string;
  rollingBackFrom?: string | undefined;
  /** Unique per request: with the release id it names the lock holder. */
  requestId: string;
  /** Automatic deploys: do nothing if the release was ever rolled out (checked under the lock). */
  firstRolloutOnly?: boolean;
  /** The environment's gates the release passed (use-cases/check-release-gates.ts), recorded as it starts. */
  gates?: GatePass[] | undefined;
}

function leaseSeconds(env: Environment, steps: RolloutStep[], bakeMinutes: number): number {
  const minutes = steps.reduce((total, step) => total + stepTimeoutMinutes(env, step), bakeMinutes);
  // Past every step's timeout plus slack, reconcile may take the lock back from a rollout nobody moves.
  return (minutes + 15) * 60;
}

/**
 * Takes the environment's lock and starts a rollout of the release. One rollout per environment:
 * while another holds the lock, this throws RolloutConflictError naming it.
 */
export async function startRollout(
  ports: StartRolloutPorts,
  { name, env }: NamedEnvironment,
  request: RolloutRequest,
): Promise<Release> {
  const stored = await ports.releases.get(request.releaseId);
  if (stored?.release.environment !== name) {
    throw new NotDeployableError(`release ${request.releaseId} does not exist in environment ${name}`, 'version');
  }
  const { release } = stored;
  const steps = planRollout(env, { kind: request.kind, task: request.task });
  if (steps.length === 0) throw new NotDeployableError('the environment has nothing to roll out', 'version');
  const missing = missingImages(release, env, steps);
  if (missing.length > 0) {
    throw new NotDeployableError(
      `release ${release.version} has no built image for ${missing.join(', ')}; build them first`,
      'version',
    );
  }

  const owner = `${release.id}@${request.requestId}`;
  // A deploy's bake holds the lock too: another deploy meanwhile is refused, naming the baking release.
  const watch = alarmWatchFor(env, request.kind, steps, ports.now());
  const lease = leaseSeconds(env, steps, watch?.bakeMinutes ?? 0);
  if (!(await ports.locks.lock(release.environment, owner, lease, ports.now())))
    throw await conflictWithHolder(ports, release.environment);
  try {
    if (request.firstRolloutOnly && (await ports.releases.get(release.id))?.release.rollout) {
      throw new NotDeployableError(`release ${release.id} was already rolled out`, 'version');
    }
    const started = await ports.releases.update(release.id, (latest) =>
      beginRollout(
        latest,
        steps,
        {
          kind: request.kind,
          triggeredBy: request.triggeredBy,
          lockOwner: owner,
          rollingBackFrom: request.rollingBackFrom,
          gates: request.gates,
          watch,
        },
        ports.now(),
      ),
    );
    if (!started) throw new NotDeployableError(`release ${release.id} disappeared`, 'version');
    await ports.notifier.notify(started, 'started');
    // Overrides given with a deploy that waited for approval were announced when given.
    await notifyOverrides(ports, started, unrecordedPasses(release, request.gates ?? []));
    return started;
  } catch (error) {
    await ports.locks.unlock(release.environment, owner);
    throw error;
  }
}

/** One `gate-overridden` notice per gate an operator passed with a reason. */
export async function notifyOverrides(
  ports: Pick<ReleasePorts, 'notifier'>,
  release: Release,
  passes: GatePass[],
): Promise<void> {
  for (const pass of passes) {
    if (!pass.override) continue;
    const { principal, reason } = pass.override;
    await ports.notifier.notify(release, 'gate-overridden', {
      gate: pass.gate,
      evidence: pass.evidence,
      principal,
      reason,
    });
  }
}
