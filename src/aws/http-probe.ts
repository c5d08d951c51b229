import type { SmokeResult } from '../domain/native-deployment.js';
import type { SmokeProbe } from '../use-cases/ports.js';

/**
 * The smoke check's HTTP GET (not an AWS service, but an adapter all the same): the status the test
 * listener answered, or why it could not be reached. Redirects are not followed, so a 301 to a login
 * page is a 301, not the login page's 200.
 */
export function createHttpProbe(fetcher: typeof fetch = fetch): SmokeProbe {
  return {
    get: async (url: string, timeoutSeconds: number): Promise<SmokeResult> => {
      try {
        const response = await fetcher(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutSeconds * 1000) });
        await response.body?.cancel();
        return { kind: 'answered', status: response.status };
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        return { kind: 'unreachable', error: cause ?? (error as Error).name };
      }
    },
  };
}

export const httpProbe = /* @__PURE__ */ createHttpProbe();
