import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { venvBin } from './venv.js';

export interface RunningEmulator {
  endpoint: string;
  port: number;
  /** Settles when moto exits, whether stopped or not. */
  exited: Promise<void>;
  stop: () => Promise<void>;
}

/** Asks the OS for a free TCP port on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Polls until the emulator answers, the process exits, or the deadline passes. */
export async function waitUntilAnswering(endpoint: string, child?: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`moto server exited with code ${child.exitCode}`);
    if (await answers(endpoint)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 150));
  }
  throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

export interface EmulatorOptions {
  port?: number;
  /** The address to listen on (default 127.0.0.1), e.g. a test network's host side. */
  host?: string;
  quiet?: boolean;
  /**
   * Runs moto in its own process group, out of reach of a terminal's Ctrl-C, for scripts that
   * stop their children themselves and in their own order.
   */
  detached?: boolean;
}

/** Starts moto server from the project's venv (on 127.0.0.1 unless told) and waits until it answers. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const endpoint = `http://${host}:${port}`;
  if (await answers(endpoint)) throw new Error(`something already answers on ${endpoint}; choose another port`);
  const child = spawn(venvBin('moto_server'), ['-H', host, '-p', String(port)], {
    // moto reports a service's deployment COMPLETED only when this many tasks "run" at creation; the
    // seed then sets each service's real count. Emulated deployments so complete at once.
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: '100000' },
    stdio: options.quiet === false ? 'inherit' : 'ignore',
    detached: options.detached ?? false,
  });
  const exited = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      resolveExit();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilAnswering(endpoint, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, exited, stop };
}

/**
 * How moto moves ECS tasks from one state to the next (real tasks stop; moto's never do otherwise):
 * after `seconds` in each state, after `times` reads of each state (tests hold tasks RUNNING so), or,
 * undefined, moto's default.
 */
export type TaskProgression = { progression: 'time'; seconds: number } | { progression: 'manual'; times: number };

/** Sets how the emulator moves ECS tasks on; global to the emulator, so tests put the default back. */
export async function setTaskProgression(endpoint: string, transition: TaskProgression | undefined): Promise<void> {
  const action = transition ? 'set-transition' : 'unset-transition';
  const response = await fetch(`${endpoint}/moto-api/state-manager/${action}`, {
    method: 'POST',
    body: JSON.stringify({ model_name: 'ecs::task', ...(transition ? { transition } : {}) }),
  });
  if (!response.ok) throw new Error(`moto refused the ecs::task ${action}: ${String(response.status)}`);
}

/** Forgets every resource in the emulator. */
export async function resetEmulator(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}
