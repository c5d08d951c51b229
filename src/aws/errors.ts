/**
 * Typed errors raised by the AWS adapters. Each keeps the SDK error as `cause`, so logs show what AWS
 * said while callers branch on the class (and on `isThrottling`, which an HTTP API maps to 503).
 */

/** Error codes AWS services use when they reject a call for its rate rather than its content. */
const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const THROTTLING_STATUS = new Set([429, 503]);

/** An AWS call failed; `operation` names it (`ecs:UpdateService`), `cause` is the SDK error. */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';

  constructor(
    readonly operation: string,
    target: string,
    options: { cause: unknown },
  ) {
    super(`${operation} failed for ${target}: ${describeCause(options.cause)}`, options);
  }
}

/** A request named containers that the task definition does not have. */
export class UnknownContainerError extends Error {
  override readonly name = 'UnknownContainerError';

  constructor(
    readonly taskDefinition: string,
    readonly containers: string[],
  ) {
    super(`task definition ${taskDefinition} has no container named ${containers.join(', ')}`);
  }
}

/** Whether the error, or any error in its `cause` chain, is AWS rate-limiting the caller. */
export function isThrottling(err: unknown): boolean {
  // Bounded, so a cause chain that loops back on itself cannot hang the caller.
  let current = err;
  for (let depth = 0; depth < 8 && isObject(current); depth += 1, current = current.cause) {
    if (typeof current.name === 'string' && THROTTLING_CODES.has(current.name)) return true;
    if (isObject(current.$metadata) && THROTTLING_STATUS.has(Number(current.$metadata.httpStatusCode))) return true;
  }
  return false;
}

/** Runs one SDK call, turning any failure into an AwsCallError naming the operation and its target. */
export async function callAws<T>(operation: string, target: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new AwsCallError(operation, target, { cause: err });
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
