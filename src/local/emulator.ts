/**
 * Local mode's AWS: the emulator (moto) and serverless-offline's Lambda invoke endpoint, both on this
 * machine. What the local verbs, the event pump and the tests share about them.
 */

export const LOCAL_STAGE = 'local';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '123456789012';
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:5000';
export const DEFAULT_LAMBDA_URL = 'http://127.0.0.1:3002';

/** SDK client settings for the emulator: its fixed credentials and region, one retry (it is local and answers at once). */
export function emulatorClientConfig(endpoint: string) {
  return { endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 };
}

/** A refusal of a local verb: one line saying what to do, no stack. */
export class LocalModeError extends Error {
  override readonly name = 'LocalModeError';
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** The URL, when it is an http(s) URL on this machine; local verbs never talk to anything else (real AWS). */
export function loopbackUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LocalModeError(`${flag} must be a URL such as ${DEFAULT_EMULATOR_URL}, not "${value}"`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (!loopback || !/^https?:$/.test(url.protocol))
    throw new LocalModeError(
      `${flag} ${value} is not on this machine: local verbs talk only to local mode (npm start) on 127.0.0.1, never to AWS`,
    );
  return url.origin;
}

/** Throws a LocalModeError unless moto answers on `endpoint` (its own /moto-api/config, cheap). */
export async function assertEmulatorAnswers(endpoint: string, fetcher: typeof fetch = fetch): Promise<void> {
  const hint = `start local mode with \`npm start\`, or point --emulator-url / CONDUCTOR_EMULATOR_URL at it`;
  let response: Response;
  try {
    response = await fetcher(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(3000) });
  } catch {
    throw new LocalModeError(`no AWS emulator answers on ${endpoint}: ${hint}`);
  }
  if (!response.ok) throw new LocalModeError(`${endpoint} answers, but not as local mode's AWS emulator: ${hint}`);
}
