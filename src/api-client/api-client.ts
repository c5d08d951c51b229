import { defaultCredentials, regionOf, sigV4Headers, type CredentialsProvider } from './sigv4.js';

/**
 * The CLI's HTTP layer, usable on its own (e.g. by end-to-end tests): one JSON request to the
 * conductor API, authenticated with a bearer token or SigV4, and the API's error model as an error.
 */

/** `auto`: a token if there is one, else SigV4 for an https API, else nothing (local API without a token). */
export type AuthMode = 'auto' | 'token' | 'sigv4' | 'none';

export interface ApiClientOptions {
  /** Base URL of the API, e.g. `http://127.0.0.1:3000` or `https://abc.execute-api.us-east-1.amazonaws.com`. */
  baseUrl: string;
  token?: string | undefined;
  auth?: AuthMode;
  /** SigV4 region when the URL does not name one (custom domains; the CLI passes $AWS_REGION); else us-east-1. */
  region?: string | undefined;
  /** SigV4 credentials; default the standard AWS provider chain. */
  credentials?: CredentialsProvider;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface ErrorDetail {
  path: string;
  message: string;
}

/** The API answered 4xx or 5xx; `code`, `message` and `details` are its error body's. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[],
    readonly requestId: string | undefined,
    readonly retryAfter: string | undefined,
  ) {
    super(message);
  }
}

/** The API could not be reached, or did not answer in time. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

export interface ApiRequest {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
}

export interface ApiReply {
  status: number;
  body: unknown;
  requestId: string | undefined;
}

export type ApiMethod = 'GET' | 'POST' | 'DELETE';

export interface ApiClient {
  request: (method: ApiMethod, path: string, request?: ApiRequest) => Promise<ApiReply>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function apiError(status: number, body: unknown, headers: Headers): ApiError {
  const requestId = headers.get('x-request-id') ?? undefined;
  const retryAfter = headers.get('retry-after') ?? undefined;
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = Array.isArray(error.details)
      ? error.details.filter(isRecord).map((detail) => ({ path: String(detail.path), message: String(detail.message) }))
      : [];
    return new ApiError(status, error.code, error.message, details, requestId, retryAfter);
  }
  // Not the API's error model: a proxy or gateway answered (API Gateway's own 403 says {"message": ...}).
  const message =
    isRecord(body) && typeof body.message === 'string'
      ? body.message
      : typeof body === 'string' && body !== ''
        ? body.slice(0, 200)
        : `HTTP ${status}`;
  return new ApiError(status, `HTTP_${status}`, message, [], requestId, retryAfter);
}

function urlFor(baseUrl: string, path: string, query: ApiRequest['query']): URL {
  const base = new URL(baseUrl);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base);
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(name, String(value));
  return url;
}

/** How a request to `url` is authenticated: `auto` takes the token if any, else SigV4 for https. */
export function authScheme(mode: AuthMode, token: string | undefined, url: URL): 'token' | 'sigv4' | 'none' {
  if (mode === 'token' || (mode === 'auto' && token !== undefined && token !== '')) return 'token';
  if (mode === 'sigv4' || (mode === 'auto' && url.protocol === 'https:')) return 'sigv4';
  return 'none';
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = options.fetch ?? fetch;
  const mode = options.auth ?? 'auto';
  let credentials = options.credentials;

  async function authHeaders(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Record<string, string>> {
    const scheme = authScheme(mode, options.token, url);
    if (scheme === 'token') {
      if (!options.token) throw new Error('no API token: pass --token or set CONDUCTOR_API_TOKEN');
      return { ...headers, authorization: `Bearer ${options.token}` };
    }
    if (scheme === 'sigv4') {
      credentials ??= defaultCredentials();
      const region = regionOf(url, options.region);
      return sigV4Headers({ method, url, headers, ...(body === undefined ? {} : { body }) }, { region, credentials });
    }
    return headers;
  }

  async function request(method: ApiMethod, path: string, req: ApiRequest = {}): Promise<ApiReply> {
    const url = urlFor(options.baseUrl, path, req.query);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers = await authHeaders(
      method,
      url,
      { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    );
    let response: Response;
    try {
      response = await send(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error
          ? error.cause.message
          : error instanceof Error
            ? error.message
            : String(error);
      throw new ApiUnreachableError(`cannot reach the API at ${url.origin}: ${cause}`, { cause: error });
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : parseJson(text);
    if (response.status >= 400) throw apiError(response.status, parsed, response.headers);
    return { status: response.status, body: parsed, requestId: response.headers.get('x-request-id') ?? undefined };
  }

  return { request };
}
