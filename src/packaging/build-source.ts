import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';

// The build project the stack creates has no source: its inline buildspec is buildspec/buildspec.yml
// with an install phase that first writes out docker/ (the build context), each file gzipped and
// base64-encoded on one command line. The template then holds the whole build, as packaged, and the
// project's role needs no access to a source bucket or repository.

export interface SourceFile {
  /** Relative to the project root, e.g. `docker/lib/common.sh`. */
  path: string;
  content: Buffer;
  executable: boolean;
}

export interface BuildSource {
  buildspec: string;
  files: SourceFile[];
}

/** Python's byte-code caches and documentation: the build never reads them. */
const skipped = (name: string, isDirectory: boolean): boolean =>
  isDirectory ? name === '__pycache__' : /\.(pyc|md)$/.test(name);
/** Paths put on a command line: no quotes, spaces or `..` to escape from. */
const SAFE_PATH = /^(?!.*\.\.)[A-Za-z0-9._/-]+$/;

function filesUnder(root: string, dir: string): SourceFile[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => !skipped(entry.name, entry.isDirectory()))
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return filesUnder(root, path);
      const mode = statSync(join(root, path)).mode;
      return [{ path, content: readFileSync(join(root, path)), executable: (mode & 0o111) !== 0 }];
    });
}

/** buildspec/buildspec.yml and every file of docker/ the build uses, in a stable order. */
export function readBuildSource(projectRoot: string): BuildSource {
  const files = filesUnder(projectRoot, 'docker').sort((a, b) => a.path.localeCompare(b.path));
  return { buildspec: readFileSync(join(projectRoot, 'buildspec', 'buildspec.yml'), 'utf8'), files };
}

/** One command that writes `file` from its gzipped, base64-encoded content. */
function writeCommand(file: SourceFile): string {
  if (!SAFE_PATH.test(file.path)) throw new Error(`cannot inline build source file "${file.path}": unsafe path`);
  const encoded = gzipSync(file.content, { level: 9 }).toString('base64');
  const write = `echo '${encoded}' | base64 --decode | gzip --decompress > '${file.path}'`;
  return file.executable ? `${write} && chmod 755 '${file.path}'` : write;
}

interface Phase {
  'on-failure'?: string;
  commands?: string[];
}

/** The buildspec with an install phase that first recreates `files` in the build's working directory. */
export function inlineBuildspec(source: BuildSource): string {
  const spec = parse(source.buildspec) as { phases?: Record<string, Phase> };
  const dirs = [...new Set(source.files.map((file) => file.path.replace(/\/[^/]*$/, '')))];
  const unpack = [`mkdir -p ${dirs.map((dir) => `'${dir}'`).join(' ')}`, ...source.files.map(writeCommand)];
  const { install, ...phases } = spec.phases ?? {};
  const inlined = {
    ...spec,
    phases: {
      install: { 'on-failure': 'ABORT', ...install, commands: [...unpack, ...(install?.commands ?? [])] },
      ...phases,
    },
  };
  const header = '# buildspec/buildspec.yml of ecs-conductor; its install phase writes out docker/, as packaged.\n';
  return header + stringify(inlined, { lineWidth: 0 });
}
