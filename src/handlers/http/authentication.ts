import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LocalCaller } from '../../config/runtime.js';
import { HttpError } from './http-error.js';

/** The caller, as API Gateway's IAM authorizer or the local bearer token established it. */
export interface Caller {
  principal: string;
  via: 'iam' | 'token';
  /** Local mode's operator token (config/runtime.ts): past every allow-list. Never set for IAM callers. */
  unrestricted?: true;
}

export interface LocalTokens {
  /** sha256(token) → its caller; only digests are kept, so tokens never sit in memory as strings to log. */
  digests: Map<string, Omit<LocalCaller, 'token'>>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The local callers' tokens as digests, for `authenticate`. */
export function localTokensFrom(callers: readonly LocalCaller[]): LocalTokens {
  return { digests: new Map(callers.map(({ token, ...caller }) => [digest(token).toString('hex'), caller])) };
}

function tokenCaller(header: string | undefined, tokens: LocalTokens): Caller | undefined {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  if (!match?.[1] || tokens.digests.size === 0) return undefined;
  const presented = digest(match[1]);
  // Compare digests in constant time, against every token, so timing tells nothing.
  let found: Omit<LocalCaller, 'token'> | undefined;
  for (const [known, caller] of tokens.digests) {
    if (timingSafeEqual(presented, Buffer.from(known, 'hex'))) found = caller;
  }
  return found ? { ...found, via: 'token' } : undefined;
}

/** Why no caller was identified, so that a caller can tell a missing token from a wrong one. */
function unauthenticated(header: string | undefined): HttpError {
  const message =
    header === undefined
      ? 'no credentials: sign the request with SigV4, or send a bearer token (Authorization: Bearer …)'
      : /^Bearer \S+$/i.test(header)
        ? 'the bearer token is not one this API knows: check CONDUCTOR_API_TOKEN'
        : 'the Authorization header is neither a bearer token nor a SigV4 signature API Gateway accepted';
  return new HttpError(401, 'UNAUTHENTICATED', message, undefined, { 'www-authenticate': 'Bearer' });
}

/** Who is calling; 401 when neither IAM nor a valid token identifies the caller, saying which was wrong. */
export function authenticate(event: APIGatewayProxyEventV2, tokens: LocalTokens): Caller {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
  if (iam?.userArn) return { principal: iam.userArn, via: 'iam' };
  const header = event.headers.authorization ?? event.headers.Authorization;
  const caller = tokenCaller(header, tokens);
  if (caller) return caller;
  throw unauthenticated(header);
}
