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

interface MountedContainer {
  name: string;
  root: string;
  config: ImageConfig;
  user: ReturnType<typeof userIds>;
}

/** A new working container of `image`, mounted; removed again if it cannot be read. */
function mountContainer(buildah: Buildah, image: string): MountedContainer {
  started += 1;
  const name = `conductor-test-${String(process.pid)}-${String(started)}`;
  buildah.run('from', '--pull-never', '--name', name, image);
  try {
    const root = buildah.run('mount', name);
    const config = buildah.config(name);
    return { name, root, config, user: userIds(root, config.User) };
  } catch (error) {
    buildah.run('rm', name);
    throw error;
  }
}

/** NAME=value pairs: the image's environment, HOME as the runtime sets it, then the task definition's. */
function containerEnv(container: MountedContainer, sandbox: Sandbox, env: Record<string, string>): string[] {
  const imageEnv = Object.fromEntries(
    container.config.Env.map((entry): [string, string] => [
      entry.slice(0, entry.indexOf('=')),
      entry.slice(entry.indexOf('=') + 1),
    ]),
  );
  return Object.entries({ ...imageEnv, HOME: container.user.home, SANDBOX: sandbox.dir, ...env }).map(
    ([key, value]) => `${key}=${value}`,
  );
}

export function startContainer(
  buildah: Buildah,
  image: string,
  sandbox: Sandbox,
  network: TaskNetwork,
  env: Record<string, string>,
): RunningContainer {
  const container = mountContainer(buildah, image);
  const { name, root, config, user } = container;
  const log = join(sandbox.dir, `${name}.log`);
  writeFileSync(log, '', { mode: 0o600 });
  chownSync(log, user.uid, user.gid);
  const namespaces = ['--mount', '--pid', '--fork', '--kill-child', `--mount-proc=${root}/proc`];
  const start = [START, 'start', root, log, `${String(user.uid)}:${String(user.gid)}`, config.WorkingDir || '/'];
  const child = spawn(
    'nsenter',
    [
      `--net=${network.namespace}`,
      'unshare',
      ...namespaces,
      '--',
      'sh',
      '-c',
      ...start,
      ...containerEnv(container, sandbox, env),
      ...config.Entrypoint,
    ],
    // SANDBOX marks every process of it for the sandbox's dispose.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', SANDBOX: sandbox.dir } },
  );
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
