import type { ErrorDetail } from './responses.js';

/** An error the API answers with a 4xx (or 503) and this code, message and details. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} does not exist`);

/** 422 for one field of the request body that the core refused. */
export const invalidBody = (path: string, message: string) =>
  new HttpError(422, 'INVALID_REQUEST', 'the request body is invalid', [{ path, message }]);
