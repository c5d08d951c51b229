import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../src/handlers/api.js';
import { logger } from '../../../src/handlers/observability.js';
import { bearer, httpEvent, jsonHeaders } from '../../support/http-event.js';
import { lambdaContext } from '../../support/lambda-context.js';

/** Everything the process writes while `run` runs: stdout, stderr and the console. */
async function captureOutput(run: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const keep = (...args: unknown[]) => {
    chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation(keep);
  await run();
  return chunks.join('\n');
}

describe('secrets never reach the logs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    logger.setLogLevel('ERROR');
  });

  it('logs no token, valid or not, at any level, on success or error', async () => {
    logger.setLogLevel('DEBUG');
    const tokens = ['release-token', 'outsider-token', 'guessed-token-0123456789'];
    const output = await captureOutput(async () => {
      for (const token of tokens) {
        for (const [method, path, body] of [
          ['GET', '/environments/cgap-mastertest/releases?limit=abc', undefined],
          ['POST', '/environments/cgap-mastertest/builds', '{"version":'],
          ['POST', '/environments/cgap-prod/services/ingester/scale', JSON.stringify({ desiredCount: 99 })],
          ['DELETE', '/health', undefined],
          ['GET', '/nowhere', undefined],
        ] as const) {
          const options = body === undefined ? { headers: bearer(token) } : { headers: jsonHeaders(token), body };
          const response = (await handler(
            httpEvent(method, path, options),
            lambdaContext(),
          )) as APIGatewayProxyStructuredResultV2;
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
        }
      }
    });
    // The request log line must have been captured, or this test proves nothing.
    expect(output).toMatch(/"message": ?"request"/);
    for (const token of tokens) expect(output).not.toContain(token);
    expect(output.toLowerCase()).not.toContain('bearer');
  });
});
