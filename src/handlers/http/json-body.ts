import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError } from './http-error.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The request body as JSON: 415 for a body that is not `application/json`, 413 past 64 KiB, 400 for
 * bytes that are not UTF-8 or text that is not JSON. A request without a body (absent, null or empty)
 * reads as `undefined`.
 */
export function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  // API Gateway leaves `body` out of a request without one; serverless-offline sets it to null.
  if (!event.body) return undefined;
  const bytes = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES}`);
  }
  const contentType = (event.headers['content-type'] ?? event.headers['Content-Type'] ?? '').toLowerCase();
  if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/.test(contentType)) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `the body must be application/json, not "${contentType || 'unspecified'}"`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'MALFORMED_BODY', 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'MALFORMED_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
}
