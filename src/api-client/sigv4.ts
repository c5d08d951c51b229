import { createHash, createHmac } from 'node:crypto';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, HttpRequest, Provider, SourceData } from '@smithy/types';

/**
 * SigV4 for a deployed API: API Gateway's IAM authorization checks the signature, then the conductor
 * checks the caller's ARN against the environment's allow-list.
 */

export type CredentialsProvider = Provider<AwsCredentialIdentity>;

interface Digester {
  update: (data: Uint8Array | string) => unknown;
  digest: () => Buffer;
}

/** SHA-256 (and HMAC-SHA-256 with a secret) from node:crypto, in the shape the signer expects. */
class NodeSha256 implements Checksum {
  private hash: Digester;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Digester {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', keyBytes(this.secret));
  }
}

function keyBytes(secret: SourceData): string | Buffer {
  if (typeof secret === 'string') return secret;
  return ArrayBuffer.isView(secret)
    ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
    : Buffer.from(secret);
}

/** `abc123.execute-api.eu-west-1.amazonaws.com` names its region; a custom domain does not. */
export function regionOf(url: URL, fallback: string | undefined): string {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1] ?? fallback ?? 'us-east-1';
}

/** The caller's standard AWS credentials: environment, shared config and SSO profiles, IMDS, ... */
export function defaultCredentials(): CredentialsProvider {
  return fromNodeProviderChain();
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** The headers to send with the request so that API Gateway accepts it as signed by `credentials`. */
export async function sigV4Headers(
  request: SignableRequest,
  options: { region: string; credentials: CredentialsProvider | AwsCredentialIdentity; signingDate?: Date },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  const { url } = request;
  const toSign: HttpRequest = {
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    // fetch sends Host itself, from the same URL, so it is signed but not set by hand.
    headers: { ...request.headers, host: url.host },
    ...(request.body === undefined ? {} : { body: request.body }),
  };
  const signed = await signer.sign(toSign, options.signingDate ? { signingDate: options.signingDate } : {});
  const headers = { ...signed.headers };
  delete headers.host;
  return headers;
}
