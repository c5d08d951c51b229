/**
 * `npm start`: the conductor on this machine. Starts the AWS emulator (moto), seeds it from the
 * conductor config, and runs the Lambdas under serverless-offline against it, until Ctrl-C.
 *
 * `startLocalMode` is the whole startup sequence, so tests can run local mode and stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readConductorDocument } from '../src/config/file.js';
import { parseConductorConfig } from '../src/config/load.js';
import type { ConductorConfig } from '../src/config/schema.js';
import type { ResolvedName } from '../src/config/stack-context.js';
import { withStackStandIns } from '../src/config/stack-stand-ins.js';
import { startLocalConsole } from '../src/console/start.js';
import { LOCAL_REGION, LOCAL_STAGE } from '../src/local/emulator.js';
import { createSwitchStore } from '../src/local/switch-store.js';
import { seededSwitches, type FailureSwitch } from '../src/local/switches.js';
import { banner } from './lib/local-banner.js';
import { closeEmulatorClients, emulatorClients } from './lib/emulator-clients.js';
import { resetEmulator, setTaskProgression, startEmulator } from './lib/emulator.js';
import { startLocalEventPump } from './lib/local-events.js';
import { localOutputOf, quietLine } from './lib/local-output.js';
import { startLocalTickPump } from './lib/local-ticks.js';
import { startNativePlayer } from './lib/native-player.js';
import { portOption, portUnavailable, runMain, untilStopSignal } from './lib/process.js';
import { describeSeed, seedEmulator } from './lib/seed.js';
import { NetworkIdMismatchError } from './lib/seed-network.js';
import { startSmokeTargets } from './lib/smoke-target.js';
import { describeNames, localConfig } from './lib/stacks.js';
import { startTaskClock, TASK_STOP_STEPS } from './lib/task-clock.js';
import { ensureVenv, PROJECT_ROOT } from './lib/venv.js';

/** serverless.yml names functions `ecs-conductor-<stage>-<function>`. */
const STAGE = LOCAL_STAGE;
const REGION = LOCAL_REGION;
const SERVERLESS_BIN = join(PROJECT_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
const DEFAULT_CONFIG = join(PROJECT_ROOT, 'conductor.yml');
/** Bundling every function with esbuild comes first, so the API takes a while to answer. */
const DEFAULT_STARTUP_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 10_000;
/** Lines of serverless-offline's output kept, in quiet mode, to say why it failed to start. */
const LAST_LINES = 40;

export interface LocalModeOptions {
  /** moto's port; EMULATOR_PORT or 5000. */
  emulatorPort?: number;
  /** serverless-offline's HTTP API port; CONDUCTOR_HTTP_PORT or 3000. */
  httpPort?: number;
  /** serverless-offline's Lambda invoke port; CONDUCTOR_LAMBDA_PORT or 3002. */
  lambdaPort?: number;
  /** The conductor config file; ./conductor.yml by default (`npm start` takes CONDUCTOR_CONFIG). */
  configPath?: string;
  /** Seconds from RUNNING to STOPPED of every ECS task in the emulator; EMULATOR_TASK_SECONDS or 5. */
  taskStopSeconds?: number;
  /** The API's bearer token; CONDUCTOR_API_TOKEN, else a random one. */
  token?: string;
  startupTimeoutMs?: number;
  /**
   * Where serverless-offline's output goes: all of it to this terminal (default), only what tells of
   * something that happened (`quiet`, through `log`; scripts/lib/local-output.ts), or nowhere.
   */
  serverlessOutput?: 'inherit' | 'quiet' | 'ignore';
  log?: (line: string) => void;
  /** Aborts the startup, stopping whatever it had started. */
  signal?: AbortSignal;
  /** Emulated builds of versions matching this fail (EMULATOR_FAIL_VERSIONS), to try failures locally. */
  failingVersions?: RegExp;
  /** Deployment tasks of versions matching this exit 1 (EMULATOR_FAIL_TASK_VERSIONS). */
  failingTaskVersions?: RegExp;
  /**
   * Where the Lambdas send their AWS calls, given the emulator's endpoint; the emulator itself by
   * default. Tests put a fault-injecting proxy here.
   */
  awsEndpointFor?: (emulator: string) => string;
  /**
   * Bundles into a folder of its own under .conductor/, removed when it stops, instead of .esbuild/:
   * for tests that run beside another local mode (serverless-offline runs the Lambdas from there).
   */
  ownBuildDir?: boolean;
  /**
   * Whether CloudWatch's alarm state-change events are played (default true). Off, an alarm is seen
   * only by reconcile's one-minute tick, as before the events: bench:alarm compares the two.
   */
  alarmEvents?: boolean;
}

export interface LocalEndpoints {
  emulator: string;
  httpApi: string;
  lambda: string;
}

export interface LocalMode {
  endpoints: LocalEndpoints;
  token: string;
  config: ConductorConfig;
  /** The names the config's environments took from their stacks, and where from. */
  names: ResolvedName[];
  /** The config file it runs on. */
  configPath: string;
  /** The failure switches seeded at startup; `ecs-conductor local fail …` changes them while it runs. */
  switches: FailureSwitch[];
  /** Settles with what exited first; before `stop()` that means it crashed. */
  exited: Promise<'emulator' | 'serverless'>;
  /**
   * Empties the emulator and seeds it again, as at startup, with these world options (the defaults
   * where left out), while serverless-offline keeps running: a fresh world without bundling again.
   */
  reset: (options?: WorldOptions) => Promise<LocalWorld>;
  /** Stops serverless-offline, then the emulator. */
  stop: () => Promise<void>;
}

/** The options of local mode that shape its emulated world rather than its processes. */
export type WorldOptions = Pick<LocalModeOptions, 'taskStopSeconds' | 'failingVersions' | 'failingTaskVersions'>;

/** What a seeded world is: the config with its stack names filled in, and the failure switches. */
export interface LocalWorld {
  config: ConductorConfig;
  /** The names the config's environments took from their stacks, and where from. */
  names: ResolvedName[];
  switches: FailureSwitch[];
}

interface LocalSettings {
  emulatorPort: number;
  httpPort: number;
  lambdaPort: number;
  configPath: string;
  taskStopSeconds: number;
  token: string;
  startupTimeoutMs: number;
  serverlessOutput: 'inherit' | 'quiet' | 'ignore';
  log: (line: string) => void;
  signal: AbortSignal | undefined;
  failingVersions: RegExp | undefined;
  failingTaskVersions: RegExp | undefined;
  awsEndpointFor: ((emulator: string) => string) | undefined;
  /** serverless-esbuild's work folder (CONDUCTOR_BUILD_DIR), relative to the project; its default when undefined. */
  buildDir: string | undefined;
  alarmEvents: boolean;
}

interface Serverless {
  child: ChildProcess;
  exited: Promise<void>;
  /** Quiet: its last lines, unfiltered, to say why it failed to start. */
  lastLines: string[];
}

function regexOption(value: string | undefined, name: string): RegExp | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return new RegExp(value);
  } catch (error) {
    throw new Error(`${name} must be a regular expression over versions: ${(error as Error).message}`);
  }
}

function secondsOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${name} must be a number of seconds, not "${value}"`);
  return seconds;
}

function resolveWorldSettings(options: WorldOptions): WorldSettings {
  const env = process.env;
  return {
    taskStopSeconds: options.taskStopSeconds ?? secondsOption(env.EMULATOR_TASK_SECONDS, 'EMULATOR_TASK_SECONDS', 5),
    failingVersions: options.failingVersions ?? regexOption(env.EMULATOR_FAIL_VERSIONS, 'EMULATOR_FAIL_VERSIONS'),
    failingTaskVersions:
      options.failingTaskVersions ?? regexOption(env.EMULATOR_FAIL_TASK_VERSIONS, 'EMULATOR_FAIL_TASK_VERSIONS'),
  };
}

function resolveSettings(options: LocalModeOptions): LocalSettings {
  const env = process.env;
  return {
    emulatorPort: options.emulatorPort ?? portOption(env.EMULATOR_PORT, 'EMULATOR_PORT', 5000),
    httpPort: options.httpPort ?? portOption(env.CONDUCTOR_HTTP_PORT, 'CONDUCTOR_HTTP_PORT', 3000),
    lambdaPort: options.lambdaPort ?? portOption(env.CONDUCTOR_LAMBDA_PORT, 'CONDUCTOR_LAMBDA_PORT', 3002),
    configPath: resolve(options.configPath ?? DEFAULT_CONFIG),
    token: options.token ?? (env.CONDUCTOR_API_TOKEN || randomBytes(32).toString('hex')),
    startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    serverlessOutput: options.serverlessOutput ?? 'inherit',
    log: options.log ?? console.log,
    signal: options.signal,
    ...resolveWorldSettings(options),
    awsEndpointFor: options.awsEndpointFor,
    buildDir: options.ownBuildDir ? join('.conductor', `esbuild-local-${randomBytes(6).toString('hex')}`) : undefined,
    alarmEvents: options.alarmEvents ?? true,
  };
}

/** Fails before anything starts when a port is taken, naming the variable that moves it. */
async function assertPortFree(port: number, variable: string): Promise<void> {
  const problem = await portUnavailable(port);
  if (problem !== undefined)
    throw new Error(`port ${port} on 127.0.0.1 is not available (${problem}); set ${variable} to use another`);
}

export async function startLocalMode(options: LocalModeOptions = {}): Promise<LocalMode> {
  const settings = resolveSettings(options);
  const { log, signal } = settings;
  // Everything but the names a stack will give is checked before anything starts.
  parseConductorConfig(withStackStandIns(readConductorDocument(settings.configPath)));
  await assertPortFree(settings.emulatorPort, 'EMULATOR_PORT');
  await assertPortFree(settings.httpPort, 'CONDUCTOR_HTTP_PORT');
  await assertPortFree(settings.lambdaPort, 'CONDUCTOR_LAMBDA_PORT');
  ensureVenv(log);

  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    signal?.throwIfAborted();
    // Its own process group: Ctrl-C reaches this script only, which stops serverless first.
    const emulator = await startEmulator({ port: settings.emulatorPort, detached: true });
    cleanups.push(emulator.stop);
    // Local mode's clients of the emulator, made once here and shared by the seed, pumps and clock.
    emulatorClients(emulator.endpoint);
    cleanups.push(() => {
      closeEmulatorClients(emulator.endpoint);
      return Promise.resolve();
    });
    signal?.throwIfAborted();
    let world = await seedWorld(emulator.endpoint, settings);

    const endpoints: LocalEndpoints = {
      emulator: emulator.endpoint,
      httpApi: `http://127.0.0.1:${settings.httpPort}`,
      lambda: `http://127.0.0.1:${settings.lambdaPort}`,
    };
    // What moto lacks of ECS-native deployments, played between the Lambdas and moto; and the test
    // listeners their smoke checks reach.
    const player = await startNativePlayer({
      emulator: emulator.endpoint,
      lambda: endpoints.lambda,
      stage: STAGE,
      log,
    });
    cleanups.push(player.stop);
    const smokeTargets = await startSmokeTargets(world.config, Number(process.env.EMULATOR_SMOKE_STATUS || 200));
    cleanups.push(smokeTargets.stop);
    log('Starting serverless-offline (bundles every function first)');
    const { buildDir } = settings;
    if (buildDir) cleanups.push(() => rm(join(PROJECT_ROOT, buildDir), { recursive: true, force: true }));
    const serverless = startServerless(settings, endpoints, player.endpoint);
    cleanups.push(() => stopProcessGroup(serverless));
    await waitForHealth(`${endpoints.httpApi}/health`, serverless, settings);
    let stopPumps = startPumps(endpoints, world.config, settings);
    cleanups.push(() => stopPumps());

    const reset = async (options: WorldOptions = {}): Promise<LocalWorld> => {
      // Nothing of ours may act on the old world while it is replaced: the pumps stop first.
      await stopPumps();
      player.clear();
      world = await reseedWorld(emulator.endpoint, { ...settings, ...resolveWorldSettings(options) });
      stopPumps = startPumps(endpoints, world.config, settings);
      return world;
    };
    const exited = Promise.race([
      emulator.exited.then(() => 'emulator' as const),
      serverless.exited.then(() => 'serverless' as const),
    ]);
    return {
      endpoints,
      token: settings.token,
      config: world.config,
      names: world.names,
      configPath: settings.configPath,
      switches: world.switches,
      exited,
      reset,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type WorldSettings = Pick<LocalSettings, 'taskStopSeconds' | 'failingVersions' | 'failingTaskVersions'>;

/** Seeds the emulator from the config, sets how its tasks stop and writes the failure switches. */
async function seedWorld(
  endpoint: string,
  settings: WorldSettings & Pick<LocalSettings, 'configPath' | 'log'>,
): Promise<LocalWorld> {
  settings.log(`Seeding the AWS emulator on ${endpoint} from ${relative(PROJECT_ROOT, settings.configPath)}`);
  const { config, stacks, names } = await localConfig(endpoint, settings.configPath, REGION);
  const seeded = await seedEmulator(endpoint, config, { stage: STAGE, region: REGION });
  settings.log([...describeSeed([...stacks, ...seeded]), ...describeNames(names)].join('\n'));
  await setTaskProgression(endpoint, { progression: 'time', seconds: settings.taskStopSeconds / TASK_STOP_STEPS });
  const switches = seededSwitches(settings.failingVersions, settings.failingTaskVersions);
  await seedSwitches(endpoint, switches);
  return { config, names, switches };
}

/** Attempts at a reseed, each short (a second or two), against serverless-offline's schedule at most once a minute. */
const RESEED_ATTEMPTS = 3;

/**
 * Empties the emulator and seeds it again. serverless-offline keeps playing the functions' schedules
 * meanwhile; one that lands during the network's seeding draws moto's random ids and shifts the
 * network's (NetworkIdMismatchError), so that seeding is tried again from empty.
 */
async function reseedWorld(endpoint: string, settings: Parameters<typeof seedWorld>[1]): Promise<LocalWorld> {
  for (let attempt = 1; ; attempt += 1) {
    await resetEmulator(endpoint);
    try {
      return await seedWorld(endpoint, settings);
    } catch (error) {
      if (!(error instanceof NetworkIdMismatchError) || attempt === RESEED_ATTEMPTS) throw error;
      settings.log(`the network's ids shifted while seeding (attempt ${attempt}); seeding again`);
    }
  }
}

/** What AWS would do around the Lambdas: tasks that stop in time, events delivered, autoscale ticks played. */
function startPumps(
  endpoints: LocalEndpoints,
  config: ConductorConfig,
  { serverlessOutput, log, alarmEvents }: Pick<LocalSettings, 'serverlessOutput' | 'log' | 'alarmEvents'>,
): () => Promise<void> {
  const taskClock = startTaskClock(endpoints.emulator, REGION);
  const events = startLocalEventPump({
    emulator: endpoints.emulator,
    lambda: endpoints.lambda,
    config,
    stage: STAGE,
    region: REGION,
    alarmEvents,
    ...(serverlessOutput === 'ignore' ? {} : { releaseChanged: log }),
    ...(serverlessOutput === 'inherit' ? { log } : {}),
  });
  const ticks = startLocalTickPump({
    emulator: endpoints.emulator,
    lambda: endpoints.lambda,
    stage: STAGE,
    region: REGION,
  });
  return async () => {
    await ticks.stop();
    await events.stop();
    await taskClock.stop();
  };
}

/** Writes the switches the EMULATOR_FAIL_* variables name, where the event pump and the CLI read them. */
async function seedSwitches(emulator: string, switches: FailureSwitch[]): Promise<void> {
  const store = createSwitchStore(emulator, STAGE, emulatorClients(emulator).documents);
  try {
    for (const entry of switches) await store.put(entry);
  } finally {
    store.destroy();
  }
}

/** `--param=config=...` for serverless.yml, which reads ./conductor.yml unless told otherwise. */
function configParam(configPath: string): string[] {
  return configPath === DEFAULT_CONFIG ? [] : [`--param=config=./${relative(PROJECT_ROOT, configPath)}`];
}

/** serverless-offline, its Lambdas' AWS calls sent to `awsEndpoint` (the native player in front of moto). */
function startServerless(settings: LocalSettings, endpoints: LocalEndpoints, awsEndpoint: string): Serverless {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: settings.awsEndpointFor?.(awsEndpoint) ?? awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CONDUCTOR_API_TOKEN: settings.token,
    CONDUCTOR_HTTP_PORT: String(settings.httpPort),
    CONDUCTOR_LAMBDA_PORT: String(settings.lambdaPort),
    ...(settings.buildDir ? { CONDUCTOR_BUILD_DIR: settings.buildDir } : {}),
  };
  // Local mode must never reach real AWS with a developer's own credentials.
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  // Here it names a file; the Lambdas get the config baked into their bundles, not this path.
  delete env.CONDUCTOR_CONFIG;
  const child = spawn(
    process.execPath,
    // --localEnvironment: serverless-offline otherwise gives the Lambdas only AWS_* variables and
    // serverless.yml's, so the API would never see CONDUCTOR_API_TOKEN(S) and refuse every token.
    [
      SERVERLESS_BIN,
      'offline',
      'start',
      '--stage',
      STAGE,
      '--region',
      REGION,
      '--localEnvironment',
      ...configParam(settings.configPath),
    ],
    // Detached: its own process group, so stopping it also stops whatever it started.
    { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', ...outputStreams(settings.serverlessOutput)] },
  );
  const exited = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      resolveExit();
    }),
  );
  const lastLines: string[] = [];
  if (settings.serverlessOutput === 'quiet') {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        lastLines.push(line);
        if (lastLines.length > LAST_LINES) lastLines.shift();
        const shown = quietLine(line);
        if (shown !== undefined) settings.log(shown);
      });
    }
  }
  return { child, exited, lastLines };
}

/** serverless-offline's stdout and stderr: this terminal's, piped through the quiet filter, or none. */
function outputStreams(
  output: LocalSettings['serverlessOutput'],
): ['inherit' | 'pipe' | 'ignore', 'inherit' | 'pipe' | 'ignore'] {
  const stream = output === 'quiet' ? 'pipe' : output;
  return [stream, stream];
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

async function waitForHealth(url: string, serverless: Serverless, settings: LocalSettings): Promise<void> {
  const deadline = Date.now() + settings.startupTimeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(serverless.child)) {
      const why = serverless.lastLines.length > 0 ? `; its last lines:\n${serverless.lastLines.join('\n')}` : '';
      throw new Error(`serverless-offline exited before the API answered${why || '; its output above says why'}`);
    }
    if (await answersOk(url)) return;
    await sleep(500, undefined, { signal: settings.signal });
  }
  throw new Error(`the API did not answer 200 on ${url} within ${settings.startupTimeoutMs / 1000} s`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    // ESRCH: the whole group is gone already.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM to the group, SIGKILL to what is left after a grace period. */
async function stopProcessGroup({ child, exited }: Serverless): Promise<void> {
  signalGroup(child, 'SIGTERM');
  const stoppedInTime = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
  // The leader may exit before the rest of its group: finish them too.
  signalGroup(child, 'SIGKILL');
  if (!stoppedInTime) await exited;
}

async function main(): Promise<void> {
  // The SDK warns that Node 20 loses support in 2027; noise in this script's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const aborter = new AbortController();
  // Listening from the start: a Ctrl-C during startup must still stop what was started.
  const stopSignal = untilStopSignal().then(() => {
    aborter.abort();
    return 'signal' as const;
  });
  const output = localOutputOf(process.argv.slice(2), process.env);
  let mode: LocalMode;
  try {
    // CONDUCTOR_CONFIG=path/to/conductor.yml npm start runs on another config file.
    mode = await startLocalMode({
      signal: aborter.signal,
      configPath: process.env.CONDUCTOR_CONFIG || undefined,
      serverlessOutput: output === 'verbose' ? 'inherit' : 'quiet',
    });
  } catch (error) {
    if (aborter.signal.aborted) process.exit(130);
    throw error;
  }
  const operatorConsole = await startLocalConsole(
    { baseUrl: mode.endpoints.httpApi, token: mode.token },
    DEFAULT_CONFIG,
  );
  console.log(banner(mode, operatorConsole.line, process.env, output).join('\n'));
  const reason = await Promise.race([stopSignal, mode.exited]);
  if (reason !== 'signal') {
    console.error(`${reason === 'emulator' ? 'the AWS emulator' : 'serverless-offline'} exited unexpectedly; stopping`);
  }
  console.log('Stopping local mode');
  await operatorConsole.close();
  await mode.stop();
  console.log('Local mode stopped: the emulator and serverless-offline are gone');
  process.exit(reason === 'signal' ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runMain(main);
