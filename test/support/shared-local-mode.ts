import { inject } from 'vitest';
import type { LocalEndpoints, LocalMode, LocalWorld, WorldOptions } from '../../scripts/local.js';

/** What the `shared-local-mode` project's global setup provides its files (shared-local-mode-setup.ts). */
export interface SharedLocalMode {
  endpoints: LocalEndpoints;
  token: string;
  configPath: string;
  /** Where a file asks for a fresh world. */
  control: string;
}

/** A file's world: how long emulated tasks run before they stop, and which versions' builds fail. */
export interface ResetRequest {
  taskStopSeconds?: number;
  /** A regex over versions, as its source. */
  failingVersions?: string;
}

/** The world options a file may choose, as `startLocalMode` takes them. */
export type WorldChoice = Pick<WorldOptions, 'taskStopSeconds' | 'failingVersions'>;

/** What a file sees of the shared local mode; the global setup stops it after the last file. */
export type LocalModeInUse = Pick<LocalMode, 'endpoints' | 'token' | 'config' | 'configPath' | 'switches'>;

/**
 * The shared local mode with its emulator reset to the freshly seeded world of `choice`, as
 * `startLocalMode` with the same options would start it; call it in `beforeAll`.
 */
export async function sharedLocalMode(choice: WorldChoice = {}): Promise<LocalModeInUse> {
  const shared = inject('sharedLocalMode');
  const request: ResetRequest = {
    ...(choice.taskStopSeconds === undefined ? {} : { taskStopSeconds: choice.taskStopSeconds }),
    ...(choice.failingVersions === undefined ? {} : { failingVersions: choice.failingVersions.source }),
  };
  const response = await fetch(shared.control, { method: 'POST', body: JSON.stringify(request) });
  if (!response.ok) throw new Error(`resetting the shared local mode failed: ${await response.text()}`);
  const world = (await response.json()) as LocalWorld;
  return {
    endpoints: shared.endpoints,
    token: shared.token,
    configPath: shared.configPath,
    config: world.config,
    switches: world.switches,
  };
}
