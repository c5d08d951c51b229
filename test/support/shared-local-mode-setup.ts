import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../scripts/lib/emulator.js';
import { startLocalMode, type WorldOptions } from '../../scripts/local.js';
import { LISTED_CALLERS, LOCAL_TOKEN } from './local-tokens.js';
import { listenLocally } from './local-server.js';
import type { ResetRequest, SharedLocalMode } from './shared-local-mode.js';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedLocalMode: SharedLocalMode;
  }
}

/**
 * The `shared-local-mode` project's one local mode (`npm start` on free ports), started once for all its
 * files instead of once per file: bundling every function for serverless-offline is most of a start.
 * Its files run one at a time, and each first resets the emulator to the freshly seeded world through
 * this process (which runs local mode's event pumps) at `control`, so no file sees another's state.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const saved = process.env.CONDUCTOR_API_TOKENS;
  // serverless-offline's child inherits it (local mode passes the environment to the Lambdas).
  process.env.CONDUCTOR_API_TOKENS = JSON.stringify(LISTED_CALLERS);
  const local = await startLocalMode({
    emulatorPort: await freePort(),
    httpPort: await freePort(),
    lambdaPort: await freePort(),
    token: LOCAL_TOKEN,
    serverlessOutput: 'ignore',
    ownBuildDir: true,
    log: () => undefined,
  }).finally(() => {
    if (saved === undefined) delete process.env.CONDUCTOR_API_TOKENS;
    else process.env.CONDUCTOR_API_TOKENS = saved;
  });
  /** A file's reset request (its options, regexes as their source) carried out. */
  const resetAsAsked = async (body: string) => {
    const asked = JSON.parse(body || '{}') as ResetRequest;
    const options: WorldOptions = {
      ...(asked.taskStopSeconds === undefined ? {} : { taskStopSeconds: asked.taskStopSeconds }),
      ...(asked.failingVersions === undefined ? {} : { failingVersions: new RegExp(asked.failingVersions) }),
    };
    return local.reset(options);
  };
  const control = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      resetAsAsked(body).then(
        (world) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(world)),
        (error: unknown) =>
          response.writeHead(500).end(error instanceof Error ? (error.stack ?? error.message) : String(error)),
      );
    });
  });
  const controlServer = await listenLocally(control, 'the shared local mode control');
  project.provide('sharedLocalMode', {
    endpoints: local.endpoints,
    token: local.token,
    configPath: local.configPath,
    control: controlServer.url,
  });
  return async () => {
    await controlServer.close();
    await local.stop();
  };
}
