import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../../scripts/lib/venv.js';
import { Buildah } from './buildah.js';

/**
 * The CGAP-shaped base image (test/fixtures/cgap-image), built once with debootstrap from Debian's
 * packages and buildah, and kept in a buildah storage under the user's cache (~/.cache/ecs-conductor)
 * keyed by a hash of the fixture: later runs only build the entrypoint images on it. Outside the project
 * on purpose: serverless-offline walks the project tree, and 10,000 files of a root file system there
 * made its functions slow enough to time out.
 */
const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'cgap-image');
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ecs-conductor');
export const BASE_IMAGE = 'localhost/cgap-app:base';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** cgap-portal's ini template (pinned), which make-rootfs.sh puts in the image. */
const PINNED_INI = join(
  PROJECT_ROOT,
  'test',
  'fixtures',
  'cgap',
  'portal',
  'deploy',
  'docker',
  'production',
  'cgap_any_alpha.ini',
);

/** Changes with any byte or mode of the fixture or the pinned ini: a new key builds a new base. */
function fixtureKey(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(FIXTURE), PINNED_INI]) {
    hash.update(`${file.slice(FIXTURE.length)}\0${statSync(file).mode}\0`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The Debian archive apt uses here (its sources), for debootstrap. */
export function debianMirror(): string {
  const sources = ['/etc/apt/sources.list', ...listFiles('/etc/apt/sources.list.d')]
    .filter((file) => /\.(list|sources)$/.test(file) && existsSync(file))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const uris = [...sources.matchAll(/^URIs:\s*(\S+)/gm), ...sources.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map(
    (match) => match[1] ?? '',
  );
  return uris.find((uri) => /^https?:/.test(uri) && !/security/.test(uri)) ?? 'http://deb.debian.org/debian';
}

function listFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
}

/** overlay unless the cache itself sits on overlayfs (as in many CI containers), where only vfs works. */
function storageDriver(dir: string): 'overlay' | 'vfs' {
  const fsType = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).stdout.trim();
  return fsType === 'overlayfs' || !readFileSync('/proc/filesystems', 'utf8').includes('overlay') ? 'vfs' : 'overlay';
}

function check(what: string, result: ReturnType<typeof spawnSync>): void {
  if (result.status !== 0)
    throw new Error(`${what} failed (status ${String(result.status)}):\n${String(result.stderr).slice(-3000)}`);
}

function buildBase(dir: string, buildah: Buildah, log: (line: string) => void): void {
  const context = join(dir, 'context');
  const rootfs = join(context, 'rootfs');
  mkdirSync(context, { recursive: true });
  log(`debootstrap of the CGAP-shaped base from ${debianMirror()} (cached in ${dir})`);
  check(
    'make-rootfs.sh',
    spawnSync('bash', [join(FIXTURE, 'make-rootfs.sh'), rootfs, debianMirror()], { encoding: 'utf8' }),
  );
  check('tar', spawnSync('tar', ['-C', rootfs, '-cf', join(context, 'rootfs.tar'), '.'], { encoding: 'utf8' }));
  rmSync(rootfs, { recursive: true, force: true });
  copyFileSync(join(FIXTURE, 'Dockerfile'), join(context, 'Dockerfile'));
  buildah.run('bud', '--isolation', 'chroot', '-t', BASE_IMAGE, context);
  rmSync(context, { recursive: true, force: true });
}

/** Waits while another process builds the same base (a lock file holding its pid). */
async function lock(file: string): Promise<() => void> {
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        rmSync(file, { force: true });
      };
    } catch {
      const holder = Number(readFileSync(file, 'utf8'));
      if (!existsSync(`/proc/${String(holder)}`)) rmSync(file, { force: true });
      else await new Promise((later) => setTimeout(later, 2000));
    }
  }
}

/** The buildah storage holding BASE_IMAGE, building it first when the cache lacks it. */
export async function cgapBase(log: (line: string) => void = console.log): Promise<Buildah> {
  const key = fixtureKey();
  const dir = join(CACHE, `cgap-base-${key}`);
  mkdirSync(CACHE, { recursive: true });
  const buildah = new Buildah(join(dir, 'storage'), join(tmpdir(), `conductor-buildah-${key}`), storageDriver(CACHE));
  if (existsSync(join(dir, 'ready'))) return buildah;
  const unlock = await lock(`${dir}.lock`);
  try {
    if (existsSync(join(dir, 'ready'))) return buildah;
    rmSync(dir, { recursive: true, force: true });
    buildBase(dir, buildah, log);
    writeFileSync(join(dir, 'ready'), new Date().toISOString());
    // Older bases (another fixture hash) are no longer used.
    for (const stale of readdirSync(CACHE).filter((name) => name.startsWith('cgap-base-') && !name.includes(key))) {
      try {
        rmSync(join(CACHE, stale), { recursive: true, force: true });
      } catch {
        // still mounted by a run that crashed: left for a later run
      }
    }
    return buildah;
  } finally {
    unlock();
  }
}
