import type { APIGatewayProxyResultV2 } from 'aws-lambda';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** A JSON reply with the request id every response carries. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    body: JSON.stringify(body),
  };
}

/** The one error shape of the API: `{"error":{"code","message","details"}}`. */
export function errorResponse(
  statusCode: number,
  code: string,
  message: string,
  requestId: string,
  options: { details?: ErrorDetail[]; headers?: Record<string, string> } = {},
): APIGatewayProxyResultV2 {
  const error = { code, message, ...(options.details ? { details: options.details } : {}) };
  return jsonResponse(statusCode, { error }, requestId, options.headers);
}
