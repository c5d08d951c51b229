/**
 * The page's calls to the conductor API, through the console server (which adds the operator's
 * credentials). Every failure is an `ApiProblem` in the API's own words: status, code, message,
 * details and request id.
 */

export interface ProblemDetail {
  path: string;
  message: string;
}

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ProblemDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

const KEY_STORAGE = 'ecs-conductor-console-key';

/** The session key arrives once in the URL's fragment (`#key=…`); it is kept for the tab and removed from the URL. */
export function takeSessionKey(): string | undefined {
  const match = /^#key=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY_STORAGE, match[1]);
    window.history.replaceState(null, '', '#/');
  }
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

function problemOf(status: number, body: unknown, requestId: string | undefined): ApiProblem {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const details = Array.isArray(error?.details) ? (error.details as ProblemDetail[]) : [];
  return new ApiProblem(
    status,
    typeof error?.code === 'string' ? error.code : `HTTP_${status}`,
    typeof error?.message === 'string' ? error.message : `the console answered ${status}`,
    details,
    requestId,
  );
}

async function call<T>(url: string, method: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'x-console-key': sessionStorage.getItem(KEY_STORAGE) ?? '' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw new ApiProblem(0, 'CONSOLE_UNREACHABLE', `the console server does not answer: ${String(error)}`);
  }
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) throw problemOf(response.status, parsed, response.headers.get('x-request-id') ?? undefined);
  return parsed as T;
}

/** One API call: `api('GET', '/environments')`. */
export function api<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return call<T>(`/api${path}`, method, body);
}

/** The console server's own session reply. */
export function consoleSession<T>(): Promise<T> {
  return call<T>('/console/session', 'GET');
}

/** `/environments/{env}` from its parts, each encoded. */
export const apiPath = (...segments: string[]) => segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');
