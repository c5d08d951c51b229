import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';

/** One command a README code block prints, as a reader would paste it. */
export interface ReadmeCommand {
  /** The command line, continuation lines joined, its trailing comment kept (bash ignores it). */
  line: string;
  /** The exit code its comment promises (`# … (exit 1)` at its end), else 0. */
  expectedExit: number;
  /** The page (README.md, docs/NAME.md) and section it is printed in: `page › section`. */
  section: string;
  /** The page it is printed on, relative to the project. */
  page: string;
}

const README = 'README.md';
const DOCS = 'docs';

/**
 * The pages whose `bash` blocks a reader runs, in the order the README test runs them: the README,
 * then every docs/ page in file order. A block that cannot run as printed (a real AWS account, a
 * reader's own environment, local mode on another config) is fenced `sh` and says why.
 */
export function runnablePages(): string[] {
  const docs = readdirSync(join(PROJECT_ROOT, DOCS))
    .filter((name) => name.endsWith('.md'))
    .sort();
  return [README, ...docs.map((name) => `${DOCS}/${name}`)];
}

/** The ```bash blocks of each `## ` section, in order. */
function bashBlocks(markdown: string): { section: string; lines: string[] }[] {
  const blocks: { section: string; lines: string[] }[] = [];
  let section = '';
  let open: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ section, lines: open });
        open = undefined;
      } else open.push(line);
    } else if (line.startsWith('## ')) section = line.slice(3).trim();
    else if (line.trim() === '```bash') open = [];
  }
  return blocks;
}

/** Joins `\` continuations and drops blank and comment-only lines. */
function commandLines(lines: string[]): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const line of lines) {
    const joined = pending + line.trim();
    if (joined.endsWith('\\')) {
      pending = `${joined.slice(0, -1).trimEnd()} `;
      continue;
    }
    pending = '';
    if (joined !== '' && !joined.startsWith('#')) commands.push(joined);
  }
  return commands;
}

function promisedExit(line: string): number {
  const match = /#.*\(exit (\d+)\)\s*$/.exec(line);
  return match?.[1] ? Number(match[1]) : 0;
}

/** Every command in the bash blocks of a page (the README unless named), in order. */
export function readmeCommands(page = README, markdown?: string): ReadmeCommand[] {
  const text = markdown ?? readFileSync(join(PROJECT_ROOT, page), 'utf8');
  return bashBlocks(text).flatMap((block) =>
    commandLines(block.lines).map((line) => ({
      line,
      expectedExit: promisedExit(line),
      section: `${page} › ${block.section}`,
      page,
    })),
  );
}
