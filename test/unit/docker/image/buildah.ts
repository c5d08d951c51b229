import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What the container needs from its image's config to start like ECS starts it. */
export interface ImageConfig {
  User: string;
  WorkingDir: string;
  Env: string[];
  Entrypoint: string[];
}

/**
 * Debian's buildah on one storage, with no daemon and no registry: builds with chroot isolation,
 * overlay storage where the kernel allows it, else vfs.
 */
export class Buildah {
  constructor(
    readonly root: string,
    readonly runroot: string,
    readonly driver: 'overlay' | 'vfs',
  ) {}

  /** The command and global options, as make's DOCKER variable takes them. */
  get command(): string[] {
    return ['buildah', '--root', this.root, '--runroot', this.runroot, '--storage-driver', this.driver];
  }

  /** Runs buildah; fails with its stderr unless it succeeds. Returns stdout, trimmed. */
  run(...args: string[]): string {
    const [command = 'buildah', ...options] = this.command;
    const result = spawnSync(command, [...options, ...args], { encoding: 'utf8', env: this.env() });
    if (result.status !== 0) throw new Error(`buildah ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout.trim();
  }

  /** The environment buildah runs in (also make's, when make runs buildah as DOCKER). */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, BUILDAH_ISOLATION: 'chroot' };
  }

  /** The image config of a working container (buildah 1.28's templates have no json function). */
  config(container: string): ImageConfig {
    const inspected = JSON.parse(this.run('inspect', '--type', 'container', container)) as {
      OCIv1: { config: ImageConfig };
    };
    return inspected.OCIv1.config;
  }
}

/** The numeric ids and home of `user` in the image mounted at `root` (its own /etc/passwd). */
export function userIds(root: string, user: string): { uid: number; gid: number; home: string } {
  const entry = readFileSync(`${root}/etc/passwd`, 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find(([name, , uid]) => name === user || uid === user);
  if (!entry) throw new Error(`the image has no user ${user}`);
  return { uid: Number(entry[2]), gid: Number(entry[3]), home: entry[5] ?? '/' };
}
