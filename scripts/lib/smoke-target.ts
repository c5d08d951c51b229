import { createServer, type Server } from 'node:http';
import type { ConductorConfig } from '../../src/config/schema.js';

/**
 * The test listener of local mode's blue/green services: a tiny HTTP server at the port of each
 * `smokeCheck.testListenerUrl` on this machine, answering every GET with one status — 200, or what
 * EMULATOR_SMOKE_STATUS says at start. `curl -X POST URL/local/smoke?status=500` makes it answer 500
 * from then on (a failing green), `curl -X POST URL/local/smoke?status=200` heals it.
 */
export interface SmokeTargets {
  urls: string[];
  stop: () => Promise<void>;
}

/** The local test listener URLs the config's smoke checks name (http on 127.0.0.1 or localhost). */
export function localSmokeUrls(config: ConductorConfig): string[] {
  const urls = Object.values(config.environments).flatMap((env) =>
    Object.values(env.services).flatMap((service) => {
      const url = service.strategy?.smokeCheck?.testListenerUrl;
      if (!url) return [];
      const { protocol, hostname, port } = new URL(url);
      const local = protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(hostname) && port !== '';
      return local ? [`http://127.0.0.1:${port}`] : [];
    }),
  );
  return [...new Set(urls)];
}

function startTarget(port: number, initialStatus: number): Promise<Server> {
  let status = initialStatus;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (request.method === 'POST' && url.pathname === '/local/smoke') {
      const asked = Number(url.searchParams.get('status'));
      if (Number.isInteger(asked) && asked >= 100 && asked <= 599) status = asked;
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`the test listener answers ${String(status)}\n`);
      return;
    }
    response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 400 ? 'ok\n' : 'failing\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

export async function startSmokeTargets(config: ConductorConfig, initialStatus = 200): Promise<SmokeTargets> {
  const urls = localSmokeUrls(config);
  const servers: Server[] = [];
  try {
    for (const url of urls) servers.push(await startTarget(Number(new URL(url).port), initialStatus));
  } catch (error) {
    for (const server of servers) server.close();
    throw new Error(`a smoke check's test listener cannot listen: ${(error as Error).message}`);
  }
  return {
    urls,
    stop: async () => {
      await Promise.all(
        servers.map((server) => {
          server.closeAllConnections();
          return new Promise((resolve) => server.close(resolve));
        }),
      );
    },
  };
}
