import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../scripts/lib/emulator.js';
import { ensureVenv } from '../../scripts/lib/venv.js';

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorEndpoint: string;
  }
}

/** Integration tests share one moto server per run, on a free port, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureVenv();
  const emulator = await startEmulator();
  project.provide('emulatorEndpoint', emulator.endpoint);
  return emulator.stop;
}
