import { basename } from 'node:path';
import { authScheme, createApiClient, type ApiClientOptions } from '../api-client/api-client.js';
import { regionOf } from '../api-client/sigv4.js';
import { readConductorConfigFile } from '../config/file.js';
import { buildConsoleAssets } from './bundle.js';
import { plansOfConfig } from './plan.js';
import { createConsoleProxy } from './proxy.js';
import { startConsoleServer, type ConsoleServer } from './server.js';

/** `ecs-conductor console` and `npm start`: the web app bundled, the proxy to the API, the server on 127.0.0.1. */

export interface StartConsoleOptions {
  /** The API and how to call it: the CLI's own options (`--api`, `--token`, SigV4 credentials). */
  api: ApiClientOptions;
  /** 0 picks a free port. */
  port: number;
  /** A conductor config to show deploy plans from (the config's rollout order). */
  configPath?: string | undefined;
  key?: string;
}

export const DEFAULT_CONSOLE_PORT = 4000;

export async function startConsole(options: StartConsoleOptions): Promise<ConsoleServer> {
  const url = new URL(options.api.baseUrl);
  const auth = authScheme(options.api.auth ?? 'auto', options.api.token, url);
  const config = options.configPath === undefined ? undefined : readConductorConfigFile(options.configPath);
  return startConsoleServer({
    port: options.port,
    assets: await buildConsoleAssets(),
    proxy: createConsoleProxy(createApiClient(options.api)),
    session: {
      api: {
        url: url.origin + url.pathname.replace(/\/$/, ''),
        auth,
        ...(auth === 'sigv4' ? { region: regionOf(url, options.api.region) } : {}),
      },
      plans: config ? plansOfConfig(config) : {},
      ...(options.configPath === undefined ? {} : { plansFrom: basename(options.configPath) }),
    },
    ...(options.key === undefined ? {} : { key: options.key }),
  });
}

export interface LocalConsole {
  /** The banner's line: the URL to open, or why the console did not start. */
  line: string;
  close: () => Promise<void>;
}

/**
 * The console beside `npm start` (port CONDUCTOR_CONSOLE_PORT, default 4000). A port in use costs the
 * console, not local mode: the banner says so instead of the URL.
 */
export async function startLocalConsole(api: ApiClientOptions, configPath: string): Promise<LocalConsole> {
  const raw = process.env.CONDUCTOR_CONSOLE_PORT;
  const port = raw === undefined || raw === '' ? DEFAULT_CONSOLE_PORT : Number(raw);
  try {
    const server = await startConsole({ api, port, configPath });
    return { line: server.url, close: server.close };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { line: `not started: ${reason} (set CONDUCTOR_CONSOLE_PORT)`, close: () => Promise.resolve() };
  }
}
