import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';

/** One command a README code block prints, as a reader would paste it. */
export interface ReadmeCommand {
  /** The command line, continuation lines joined, its trailing comment kept (bash ignores it). */
  line: string;
  /** The exit code its comment promises (`# … (exit 1)` at its end), else 0. */
  expectedExit: number;
  /** The README section it is printed in. */
  section: string;
}

const README = join(PROJECT_ROOT, 'README.md');

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

/** Every command in the bash blocks of the named sections, in README order. */
export function readmeCommands(sections: readonly string[], markdown = readFileSync(README, 'utf8')): ReadmeCommand[] {
  return bashBlocks(markdown)
    .filter((block) => sections.includes(block.section))
    .flatMap((block) =>
      commandLines(block.lines).map((line) => ({ line, expectedExit: promisedExit(line), section: block.section })),
    );
}
