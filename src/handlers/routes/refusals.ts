import {
  ApprovalRefusedError,
  ConfirmationRequiredError,
  GateRefusedError,
  NoBuiltReleaseError,
  NotAdoptableError,
  NotBuildableError,
  NothingToAbortError,
  NothingToRedeployError,
  NotScalableError,
  OutOfBoundsError,
  OverrideNotAllowedError,
  ReleaseStillBuildingError,
  ScalingConflictError,
  UnknownDeploymentTaskError,
  UnknownEntrypointsError,
  UnknownServiceError,
} from '../../use-cases/errors.js';
import { NotDeployableError, RolloutConflictError } from '../../use-cases/start-rollout.js';
import { HttpError, invalidBody, notFound } from '../http/http-error.js';

type Refusal = abstract new (...args: never[]) => Error;

/** Why an approval answer is refused, as a status and code: who may not, 403; too late, 422; nothing waits, 409. */
const APPROVAL_REPLIES: Record<ApprovalRefusedError['refusal'], [number, string]> = {
  'not-approver': [403, 'FORBIDDEN'],
  'four-eyes': [403, 'FORBIDDEN'],
  expired: [422, 'APPROVAL_EXPIRED'],
  'not-awaiting': [409, 'CONFLICT'],
};

/** Each refusal of the core as the API answers it: status, code, and the request field at fault. */
const REPLIES: [Refusal, (error: never) => HttpError][] = [
  [
    RolloutConflictError,
    (error: RolloutConflictError) =>
      new HttpError(409, 'CONFLICT', error.message, [
        { path: 'environment', message: `active release ${error.activeReleaseId}` },
      ]),
  ],
  [
    NotDeployableError,
    (error: NotDeployableError) =>
      new HttpError(422, 'NOT_DEPLOYABLE', error.message, [{ path: `body.${error.field}`, message: error.message }]),
  ],
  [
    GateRefusedError,
    (error: GateRefusedError) =>
      new HttpError(422, 'GATE_REFUSED', error.message, [{ path: `gates.${error.gate}`, message: error.evidence }]),
  ],
  [
    OverrideNotAllowedError,
    (error: OverrideNotAllowedError) =>
      new HttpError(403, 'FORBIDDEN', error.message, [
        { path: 'body.override', message: `not on the gates.override list of ${error.environment}` },
      ]),
  ],
  [
    ApprovalRefusedError,
    (error: ApprovalRefusedError) => {
      const [status, code] = APPROVAL_REPLIES[error.refusal];
      return new HttpError(status, code, error.message, [{ path: 'gates.approval', message: error.message }]);
    },
  ],
  [
    NothingToAbortError,
    (error: NothingToAbortError) =>
      new HttpError(409, 'CONFLICT', error.message, [{ path: 'environment', message: `runs ${error.runs}` }]),
  ],
  [UnknownDeploymentTaskError, (error: UnknownDeploymentTaskError) => invalidBody('body.task', error.message)],
  [
    ConfirmationRequiredError,
    (error: ConfirmationRequiredError) =>
      new HttpError(422, 'CONFIRMATION_REQUIRED', error.message, [
        { path: 'body.confirm', message: `must be "${error.environment}" to run the destructive task ${error.task}` },
      ]),
  ],
  [
    ReleaseStillBuildingError,
    (error: ReleaseStillBuildingError) =>
      new HttpError(409, 'CONFLICT', error.message, [{ path: 'body.version', message: 'still building' }]),
  ],
  [
    NoBuiltReleaseError,
    (error: NoBuiltReleaseError) =>
      new HttpError(422, 'NOT_DEPLOYABLE', error.message, [
        {
          path: 'body.version',
          message:
            `${error.buildFailed ? 'build it again' : 'build it first'}: ` +
            `POST /environments/${error.environment}/builds {"version": "${error.version}"}, ` +
            `or with the CLI: ecs-conductor build ${error.environment} ${error.version}`,
        },
      ]),
  ],
  [
    UnknownServiceError,
    (error: UnknownServiceError) => notFound(`service "${error.service}" in environment ${error.environment}`),
  ],
  [
    NotScalableError,
    (error: NotScalableError) =>
      new HttpError(422, 'NOT_SCALABLE', error.message, [{ path: 'service', message: 'has no queue in the config' }]),
  ],
  [OutOfBoundsError, (error: OutOfBoundsError) => invalidBody('body.desiredCount', error.message)],
  [ScalingConflictError, (error: ScalingConflictError) => new HttpError(409, 'CONFLICT', error.message)],
  [
    UnknownEntrypointsError,
    (error: UnknownEntrypointsError) =>
      new HttpError(
        422,
        'INVALID_REQUEST',
        'the request body is invalid',
        error.unknown.map(({ index, name }) => ({
          path: `body.entrypoints.${index}`,
          message: `unknown entrypoint "${name}" (known: ${error.known.join(', ')})`,
        })),
      ),
  ],
  [NotBuildableError, (error: NotBuildableError) => invalidBody('body.version', error.message)],
  [
    NotAdoptableError,
    (error: NotAdoptableError) =>
      new HttpError(422, 'NOT_ADOPTABLE', error.message, [{ path: error.component, message: error.message }]),
  ],
  [
    NothingToRedeployError,
    (error: NothingToRedeployError) =>
      new HttpError(422, 'NOT_DEPLOYABLE', error.message, [{ path: 'environment', message: error.message }]),
  ],
];

/** A refusal of the core as the API's error; anything else as it is (a 500, or a 503 for throttling). */
export function asHttpError(error: unknown): unknown {
  const reply = REPLIES.find(([refusal]) => error instanceof refusal)?.[1];
  return reply ? reply(error as never) : error;
}

/** The result of a core call, its refusals thrown as API errors. */
export async function refusingAsHttp<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw asHttpError(error);
  }
}

/** A refusal as a read route answers it: its request fields (`version`, `task`) come in the query. */
export function asQueryError(error: unknown): unknown {
  const refused = asHttpError(error);
  if (!(refused instanceof HttpError) || !refused.details) return refused;
  const details = refused.details.map((detail) => ({ ...detail, path: detail.path.replace(/^body\./, 'query.') }));
  const message = refused.message.replace('request body', 'request query');
  return new HttpError(refused.statusCode, refused.code, message, details, refused.headers);
}
