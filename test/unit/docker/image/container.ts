import { spawn } from 'node:child_process';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exit, RunningEntrypoint, Sandbox } from '../sandbox.js';
import { type Buildah, type ImageConfig, userIds } from './buildah.js';
import type { TaskNetwork } from './netns.js';

/**
 * Runs an image's entrypoint as ECS runs a container, without a container engine: from a buildah
 * container's mounted root, in the task's network namespace and new PID and mount namespaces (the
 * entrypoint is PID 1 and gets ECS's SIGTERM itself), as the image's user, in its working directory,
 * with only the image's environment plus the task definition's. Its stdout and stderr go to a file
 * owned by that user, as a container's log pipe is, so nginx can open /dev/stdout.
 */
export interface RunningContainer extends RunningEntrypoint {
  /** The container's root filesystem on this host, to read what the app wrote. */
  root: string;
  /** Sends SIGNAL to the entrypoint (PID 1 of the container). */
  signal: (signal: NodeJS.Signals) => void;
  /** Kills what still runs and removes the container. */
  remove: () => Promise<void>;
}

// Inside the new namespaces, as root: the host's devices, the log as stdout and stderr, then the
// image's user in its root. `env -i` leaves only the variables given.
const START = [
  'root=$1 log=$2 user=$3 dir=$4; shift 4',
  'mount --rbind /dev "$root/dev"',
  'exec >>"$log" 2>&1',
  'exec chroot --userspec="$user" "$root" /usr/bin/env -i -C "$dir" "$@"',
].join(' && ');

let started = 0;

export function startContainer(
  buildah: Buildah,
  image: string,
  sandbox: Sandbox,
  network: TaskNetwork,
  env: Record<string, string>,
): RunningContainer {
  started += 1;
  const name = buildah.run(
    'from',
    '--pull-never',
    '--name',
    `conductor-test-${String(process.pid)}-${String(started)}`,
    image,
  );
  let root: string;
  let config: ImageConfig;
  let user: ReturnType<typeof userIds>;
  try {
    root = buildah.run('mount', name);
    config = buildah.config(name);
    user = userIds(root, config.User);
  } catch (error) {
    buildah.run('rm', name);
    throw error;
  }
  const { uid, gid, home } = user;
  const log = join(sandbox.dir, `${name}.log`);
  writeFileSync(log, '', { mode: 0o600 });
  chownSync(log, uid, gid);
  const imageEnv = Object.fromEntries(
    config.Env.map((entry): [string, string] => [
      entry.slice(0, entry.indexOf('=')),
      entry.slice(entry.indexOf('=') + 1),
    ]),
  );
  const variables = Object.entries({ ...imageEnv, HOME: home, SANDBOX: sandbox.dir, ...env }).map(
    ([key, value]) => `${key}=${value}`,
  );
  const child = spawn(
    'nsenter',
    [
      `--net=${network.namespace}`,
      'unshare',
      '--mount',
      '--pid',
      '--fork',
      '--kill-child',
      `--mount-proc=${root}/proc`,
      '--',
      'sh',
      '-c',
      START,
      'start',
      root,
      log,
      `${String(uid)}:${String(gid)}`,
      config.WorkingDir || '/',
      ...variables,
      ...config.Entrypoint,
    ],
    // SANDBOX marks every process of it for the sandbox's dispose.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', SANDBOX: sandbox.dir } },
  ); // prettier-ignore
  let startErrors = '';
  child.stderr.on('data', (chunk: Buffer) => (startErrors += chunk.toString()));
  const exited = new Promise<Exit>((done) => {
    child.on('exit', (code, signal) => {
      done({ code, signal });
    });
  });
  return {
    child,
    root,
    exited,
    output: () => startErrors + readFileSync(log, 'utf8'),
    signal: (signal) => {
      // unshare --fork's only child is the container's PID 1.
      const pid = readFileSync(`/proc/${String(child.pid)}/task/${String(child.pid)}/children`, 'utf8').trim();
      if (pid !== '') process.kill(Number(pid), signal);
    },
    remove: async () => {
      // --kill-child: the container's PID 1, and so everything in its PID namespace, dies with unshare.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      buildah.run('rm', name);
    },
  };
}
