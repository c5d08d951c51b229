import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { HttpError } from './http-error.js';
import { parseJsonBody } from './json-body.js';

/** Parses a request part with its schema; 422 listing every problem with its path otherwise. */
export function validRequest<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.flatMap((issue) => {
    const path = [where, ...issue.path.map(String)];
    // Name each unexpected field where it stands, rather than its parent object.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'is not an accepted field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
  throw new HttpError(422, 'INVALID_REQUEST', `the request ${where} is invalid`, details);
}

/** A route whose body may be left out: no body means `{}`; a JSON null is a body, and not an object. */
export function validEmptyBody<S extends z.ZodType>(schema: S, event: APIGatewayProxyEventV2): z.output<S> {
  const body = parseJsonBody(event);
  return validRequest(schema, body === undefined ? {} : body);
}
