import { conductorFunctionName } from '../domain/names.js';
import { LOCAL_STAGE, LocalModeError } from './emulator.js';

/** Invoking a function of serverless-offline the way `aws lambda invoke` does (RequestResponse). */

export interface InvokeReply {
  /** The function's reply, parsed when JSON; undefined when it returned nothing. */
  body: unknown;
}

export function functionName(fn: string, stage = LOCAL_STAGE): string {
  return conductorFunctionName(stage, fn);
}

function parsed(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const NO_ENDPOINT = (lambdaUrl: string) =>
  new LocalModeError(
    `no Lambda invoke endpoint answers on ${lambdaUrl}: start local mode with \`npm start\`, or point --lambda-url / CONDUCTOR_LAMBDA_URL at it`,
  );

/** Throws a LocalModeError unless something answers HTTP on the invoke endpoint (checked before a push changes anything). */
export async function assertInvokeEndpointAnswers(lambdaUrl: string, fetcher: typeof fetch = fetch): Promise<void> {
  try {
    await fetcher(`${lambdaUrl}/`, { signal: AbortSignal.timeout(3000) });
  } catch {
    throw NO_ENDPOINT(lambdaUrl);
  }
}

/**
 * Invokes `fn` and waits until it returns. Throws when the endpoint does not answer, answers an error
 * status, or the function threw (serverless-offline's X-Amz-Function-Error, as Lambda's).
 */
export async function invokeFunction(
  lambdaUrl: string,
  fn: string,
  event: unknown,
  options: { stage?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<InvokeReply> {
  const name = functionName(fn, options.stage);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${lambdaUrl}/2015-03-31/functions/${name}/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': 'RequestResponse' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(options.timeoutMs ?? 300_000),
    });
  } catch {
    throw NO_ENDPOINT(lambdaUrl);
  }
  const body = parsed(await response.text());
  if (!response.ok) throw new LocalModeError(`${name} answered HTTP ${String(response.status)}`);
  if (response.headers.get('x-amz-function-error')) {
    const message = (body as { errorMessage?: unknown } | undefined)?.errorMessage;
    throw new LocalModeError(`${name} failed: ${typeof message === 'string' ? message : JSON.stringify(body)}`);
  }
  return { body };
}
