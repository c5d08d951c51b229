import type { ApprovalRefusal } from '../domain/approval.js';
/**
 * Why an API request was refused by the core, as typed errors: the routes map each to its HTTP status
 * and body (src/handlers/routes/refusals.ts), so no route matches a message.
 */

/** The environment has no service by that key. */
export class UnknownServiceError extends Error {
  override readonly name = 'UnknownServiceError';

  constructor(
    readonly environment: string,
    readonly service: string,
  ) {
    super(`service "${service}" in environment ${environment} does not exist`);
  }
}

/** The service reads no queue: the conductor does not scale it. */
export class NotScalableError extends Error {
  override readonly name = 'NotScalableError';

  constructor(readonly service: string) {
    super(`service ${service} is not queue-driven; the conductor does not scale it`);
  }
}

/** A desired count outside the queue's [minTasks, maxTasks]. */
export class OutOfBoundsError extends Error {
  override readonly name = 'OutOfBoundsError';

  constructor(
    readonly service: string,
    readonly minTasks: number,
    readonly maxTasks: number,
  ) {
    super(`must be within [${String(minTasks)}, ${String(maxTasks)}] for ${service}`);
  }
}

/** The scaling record kept changing under every attempt to save a hold. */
export class ScalingConflictError extends Error {
  override readonly name = 'ScalingConflictError';

  constructor(readonly queue: string) {
    super(`the scaling state of ${queue} kept changing; retry`);
  }
}

/** The environment has no deployment task by that name. */
export class UnknownDeploymentTaskError extends Error {
  override readonly name = 'UnknownDeploymentTaskError';

  constructor(readonly task: string) {
    super(`unknown deployment task "${task}"`);
  }
}

/** A destructive deployment task needs the environment's name as confirmation. */
export class ConfirmationRequiredError extends Error {
  override readonly name = 'ConfirmationRequiredError';

  constructor(
    readonly task: string,
    readonly environment: string,
  ) {
    super(`task ${task} is destructive`);
  }
}

/** The version's release is still being built. */
export class ReleaseStillBuildingError extends Error {
  override readonly name = 'ReleaseStillBuildingError';

  constructor(readonly version: string) {
    super(`release ${version} is still building`);
  }
}

/** No release of the version can be rolled out (none was built, or its build failed). */
export class NoBuiltReleaseError extends Error {
  override readonly name = 'NoBuiltReleaseError';

  constructor(
    readonly environment: string,
    readonly version: string,
    readonly buildFailed: boolean,
  ) {
    super(
      buildFailed
        ? `the build of version ${version} failed; build it again before deploying it`
        : `version ${version} was never built in environment ${environment}; build it before deploying it`,
    );
  }
}

/** Entrypoints the environment does not have, with their place in the request. */
export class UnknownEntrypointsError extends Error {
  override readonly name = 'UnknownEntrypointsError';

  constructor(
    readonly unknown: { index: number; name: string }[],
    readonly known: string[],
  ) {
    super(`unknown entrypoints ${unknown.map((entry) => entry.name).join(', ')}`);
  }
}

/** The version cannot be built: no such image, or a tag that is not a release version. */
export class NotBuildableError extends Error {
  override readonly name = 'NotBuildableError';
}

/** What runs now cannot be recorded as a release: a service ECS does not know, an image ECR cannot resolve. */
export class NotAdoptableError extends Error {
  override readonly name = 'NotAdoptableError';

  constructor(
    message: string,
    /** The part of the environment at fault, e.g. `services.wsgi`. */
    readonly component: string,
  ) {
    super(message);
  }
}

/** A redeploy needs a routine deployment task and a release the environment runs. */
export class NothingToRedeployError extends Error {
  override readonly name = 'NothingToRedeployError';
}

/** A release gate refused the release; `evidence` says what the refusal rests on. */
export class GateRefusedError extends Error {
  override readonly name = 'GateRefusedError';

  constructor(
    readonly environment: string,
    readonly gate: string,
    readonly evidence: string,
  ) {
    super(`gate ${gate} of environment ${environment} refused the release: ${evidence}`);
  }
}

/** An override asked by a principal not on the environment's `gates.override` list. */
export class OverrideNotAllowedError extends Error {
  override readonly name = 'OverrideNotAllowedError';

  constructor(
    readonly environment: string,
    readonly principal: string,
  ) {
    super(`${principal} may not override the gates of environment ${environment}`);
  }
}

/** An answer to a pending approval that may not be given: why, as domain/approval.ts says. */
export class ApprovalRefusedError extends Error {
  override readonly name = 'ApprovalRefusedError';

  constructor(
    readonly environment: string,
    readonly version: string,
    readonly refusal: ApprovalRefusal,
    readonly principal: string,
  ) {
    super(APPROVAL_REFUSALS[refusal](environment, version, principal));
  }
}

const APPROVAL_REFUSALS: Record<ApprovalRefusal, (environment: string, version: string, principal: string) => string> =
  {
    'not-awaiting': (environment, version) => `release ${version} is not awaiting approval in ${environment}`,
    'not-approver': (environment, _version, principal) =>
      `${principal} is not on the gates.approval.approve list of ${environment}`,
    'four-eyes': (environment, version) =>
      `the deploy of ${version} to ${environment} must be approved by someone other than who asked for it (four eyes)`,
    expired: (environment, version) => `the approval of ${version} in ${environment} expired; ask for the deploy again`,
  };

/** An abort asked of an environment where nothing moves: `runs` says what it runs. */
export class NothingToAbortError extends Error {
  override readonly name = 'NothingToAbortError';

  constructor(
    readonly environment: string,
    readonly runs: string,
  ) {
    super(`nothing is rolling out in ${environment} to abort: it runs ${runs}`);
  }
}
