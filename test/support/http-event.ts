import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface HttpEventOptions {
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  /** The IAM principal API Gateway's aws_iam authorizer would pass. */
  iamPrincipal?: string;
}

/** An API Gateway HTTP API (payload 2.0) event as the `$default`-style proxy route delivers it. */
export function httpEvent(
  method: string,
  pathAndQuery: string,
  options: HttpEventOptions = {},
): APIGatewayProxyEventV2 {
  const url = new URL(pathAndQuery, 'http://api');
  const path = url.pathname;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: url.search.slice(1),
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    headers: options.headers ?? {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'gw-1',
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:15:00:00 +0000',
      timeEpoch: 1795100000000,
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.body === undefined ? {} : { body: options.body }),
  };
  if (options.iamPrincipal) {
    Object.assign(event.requestContext, {
      authorizer: { iam: { userArn: options.iamPrincipal, accountId: '123456789012' } },
    });
  }
  return event;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const jsonHeaders = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });
