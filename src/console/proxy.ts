import { ApiError, ApiUnreachableError, type ApiClient, type ApiMethod } from '../api-client/api-client.js';
import { matchRoute, routesOfOpenApi, type ApiRoute } from './api-routes.js';

/**
 * The console's way to the API: the browser's call, if it is one of the API's own routes, sent with
 * the operator's credentials by the CLI's client (bearer token locally, SigV4 against AWS), and the
 * API's answer handed back as the API gave it — errors in the API's own error model.
 */

export interface ProxyReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const CLIENT_METHODS: readonly ApiMethod[] = ['GET', 'POST', 'DELETE'];

function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): ProxyReply {
  return { status, headers, body: { error: { code, message } } };
}

/** The API's error as its body said it (the CLI's client parsed it; this puts it back). */
function replyOfError(error: unknown): ProxyReply {
  if (error instanceof ApiError) {
    const headers: Record<string, string> = {};
    if (error.requestId !== undefined) headers['x-request-id'] = error.requestId;
    if (error.retryAfter !== undefined) headers['retry-after'] = error.retryAfter;
    const details = error.details.length > 0 ? { details: error.details } : {};
    return { status: error.status, headers, body: { error: { code: error.code, message: error.message, ...details } } };
  }
  if (error instanceof ApiUnreachableError) return errorReply(502, 'API_UNREACHABLE', error.message);
  // Typically no AWS credentials to sign with: the operator must see why.
  return errorReply(502, 'CONSOLE_PROXY_FAILED', error instanceof Error ? error.message : String(error));
}

export interface ConsoleProxy {
  /** The API's routes (read once from its OpenAPI document; retried while it cannot be read). */
  routes: () => Promise<ApiRoute[]>;
  forward: (method: string, path: string, query: URLSearchParams, body: string) => Promise<ProxyReply>;
}

export function createConsoleProxy(client: ApiClient): ConsoleProxy {
  let known: ApiRoute[] | undefined;

  async function routes(): Promise<ApiRoute[]> {
    known ??= routesOfOpenApi((await client.request('GET', '/openapi.json')).body);
    return known;
  }

  async function forward(method: string, path: string, query: URLSearchParams, body: string): Promise<ProxyReply> {
    let route: ApiRoute | undefined;
    let allowed: string[];
    try {
      ({ route, allowed } = matchRoute(await routes(), method, path));
    } catch (error) {
      return replyOfError(error);
    }
    const clientMethod = CLIENT_METHODS.find((candidate) => candidate === route?.method);
    if (!clientMethod) {
      return allowed.length > 0
        ? errorReply(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`, { allow: allowed.join(', ') })
        : errorReply(404, 'NOT_FOUND', `${path} is not a route of the conductor API`);
    }
    let parsed: unknown;
    try {
      parsed = body === '' ? undefined : (JSON.parse(body) as unknown);
    } catch {
      return errorReply(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
    }
    try {
      const reply = await client.request(clientMethod, path, {
        ...(parsed === undefined ? {} : { body: parsed }),
        query: Object.fromEntries(query),
      });
      return {
        status: reply.status,
        headers: reply.requestId === undefined ? {} : { 'x-request-id': reply.requestId },
        body: reply.body,
      };
    } catch (error) {
      return replyOfError(error);
    }
  }

  return { routes, forward };
}
