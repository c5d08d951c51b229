import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portUnavailable } from '../../scripts/lib/process.js';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import { type ReadmeCommand, readmeCommands, runnablePages } from '../support/readme-commands.js';
import { type Background, runAsPrinted, startAsPrinted } from '../support/readme-shell.js';

/**
 * Every command of every `bash` block of the README, then of docs/*.md (runnablePages), run as
 * printed in that order by bash in a fresh user's environment, against the local mode the README's own
 * `npm start` line starts on the printed ports. A command passes when it exits as its comment promises
 * (0 unless its comment ends `(exit N)`). Blocks fenced `sh` are not run: each says why.
 */
const TOUR = 'A tour of local mode';
const PORTS = [5000, 3000, 3002, 4000];
const STARTUP_MS = 300_000;
const COMMAND_MS = 180_000;
const ARTIFACTS = join(PROJECT_ROOT, '.conductor', 'artifacts');

const [readmePage = 'README.md', ...docPages] = runnablePages();
const readme = readmeCommands(readmePage);
const docs = docPages.flatMap((page) => readmeCommands(page));
const commands = [...readme, ...docs];
const commandPart = (command: ReadmeCommand) => command.line.replace(/\s+#.*$/, '');
const isStart = (command: ReadmeCommand) => /\bnpm start$/.test(commandPart(command));
const isTestRun = (command: ReadmeCommand) => /\bnpm test$/.test(commandPart(command));
const isConsole = (command: ReadmeCommand) => /\becs-conductor console\b/.test(commandPart(command));
const isExport = (command: ReadmeCommand) => command.line.startsWith('export ');

async function portTaken(port: number): Promise<boolean> {
  return (await portUnavailable(port)) !== undefined;
}

async function untilFree(ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = await Promise.all(ports.map(portTaken));
    const busy = ports.filter((_, index) => taken[index]);
    if (busy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`Ctrl-C left ports ${busy.join(', ')} in use`);
    await sleep(500);
  }
}

/** The README tells AWS CLI v1 users to leave --cli-binary-format out; the test does as told. */
function forThisAwsCli(line: string): string {
  const version = execFileSync('aws', ['--version'], { encoding: 'utf8' });
  return /aws-cli\/1\./.test(version) ? line.replace(/\s--cli-binary-format \S+/, '') : line;
}

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version']);
    return true;
  } catch {
    return false;
  }
}

const busyPorts = await Promise.all(PORTS.map(portTaken));
const taken = PORTS.filter((_, index) => busyPorts[index]);
// On a developer's machine a running `npm start` may hold these ports, or the AWS CLI be missing;
// in CI the ports must be free and .ci/run installs the AWS CLI.
const why =
  taken.length > 0
    ? `ports ${taken.join(', ')} are in use (stop your own npm start)`
    : hasAwsCli()
      ? ''
      : 'no AWS CLI (apt-get install awscli)';
const skip = why !== '' && !process.env.CI;
if (skip) console.error(`README test skipped: ${why}`);

describe.skipIf(skip)('the README, run as printed', () => {
  let local: Background;
  /** What the reader pasted from the banner, then every `export` line the README printed so far. */
  const prelude: string[] = [];
  const transcript: string[] = [];

  beforeAll(async () => {
    expect(taken, `ports the README prints must be free: ${taken.join(', ')}`).toEqual([]);
    const start = commands.find(isStart);
    if (!start) throw new Error('the README prints no `npm start` command');
    local = startAsPrinted(start.line);
    await local.waitFor(/export CONDUCTOR_EMULATOR_URL=\S+ CONDUCTOR_LAMBDA_URL=\S+\n/, STARTUP_MS);
    // The banner's lines to paste, as a reader pastes them.
    prelude.push(
      ...[...local.output().matchAll(/^\s*(export CONDUCTOR_\S+=\S+ CONDUCTOR_\S+=\S+)$/gm)].map(
        ([, line]) => line ?? '',
      ),
    );
    expect(prelude).toHaveLength(2);
  }, STARTUP_MS + 10_000);

  afterAll(async () => {
    // What a reader would have seen, kept as a test artifact.
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'readme-transcript.txt'), transcript.join('\n'));
    try {
      // Ctrl-C as a reader presses it; stopping serverless-offline alone may take its 10 s grace.
      await (local as Background | undefined)?.stop(90_000);
      // Ctrl-C stops the emulator and serverless-offline too (their own process groups): the ports say so.
      await untilFree(PORTS, 30_000);
    } finally {
      writeFileSync(join(ARTIFACTS, 'readme-npm-start.txt'), (local as Background | undefined)?.output() ?? '');
    }
  }, 60_000);

  it('prints the commands this test runs: the Quick start and the tour in the README, the rest in docs/', () => {
    expect(readme.filter(isStart)).toHaveLength(1);
    expect(readme.filter(isTestRun)).toHaveLength(1);
    expect(readme.filter((command) => command.section.endsWith(`› ${TOUR}`)).length).toBeGreaterThan(20);
    expect(new Set(docs.map((command) => command.page))).toEqual(new Set(['docs/console.md', 'docs/local-mode.md']));
    expect(commands.filter(isConsole)).toHaveLength(1);
  });

  it('tests with the command CI runs', () => {
    const ci = readFileSync(join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    const [install, test] = (commands.find(isTestRun)?.line ?? '').split('#')[0]?.split('&&') ?? [];
    expect(install?.trim()).toBe('npm ci');
    expect(test?.trim()).toBe('npm test');
    expect(ci).toMatch(/^npm ci\b.*\nnpm test$/m);
  });

  it('prints the banner with the API, the emulator and the console on the printed ports', () => {
    const banner = local.output();
    expect(banner).toContain('http://127.0.0.1:5000');
    expect(banner).toContain('http://127.0.0.1:3000');
    expect(banner).toMatch(/Console\s+http:\/\/127\.0\.0\.1:4000\//);
  });

  const runnable = (printed: ReadmeCommand[]) =>
    printed.filter((command) => !isStart(command) && !isTestRun(command) && !isConsole(command));
  const runAsTold = (command: ReadmeCommand) => {
    it(
      `${command.section}: ${command.line}`,
      async () => {
        const result = await runAsPrinted(forThisAwsCli(command.line), prelude, COMMAND_MS);
        transcript.push(`$ ${command.line}`, result.output);
        expect(result.exitCode, result.output).toBe(command.expectedExit);
        if (isExport(command)) prelude.push(command.line);
      },
      COMMAND_MS + 5_000,
    );
  };
  runnable(readme).forEach(runAsTold);

  it('leaves the environment where the tour says: 1.6.0 failed on exit code 3 and runs Degraded (rollback: 1.5.0), 3f9c2ab rolled back', async () => {
    const api = /CONDUCTOR_API_URL=(\S+) CONDUCTOR_API_TOKEN=(\S+)/.exec(prelude[0] ?? '');
    const get = async (path: string) => {
      const response = await fetch(`${api?.[1] ?? ''}${path}`, {
        headers: { authorization: `Bearer ${api?.[2] ?? ''}` },
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const status = await get('/environments/cgap-mastertest');
    // The services rolled before 1.6.0's deployment task failed: what ECS runs is 1.6.0, and says so.
    expect(status.running).toMatchObject({ version: '1.6.0' });
    expect(status).toMatchObject({ health: 'Degraded', rollbackTo: { version: '1.5.0' } });
    const { releases } = (await get('/environments/cgap-mastertest/releases?limit=100')) as {
      releases: { version: string; state: string; failure?: unknown }[];
    };
    const newest = (version: string) => releases.find((release) => release.version === version);
    expect(newest('3f9c2ab')).toMatchObject({ state: 'ROLLED_BACK' });
    expect(newest('1.6.0')).toMatchObject({
      state: 'FAILED',
      failure: { kind: 'task', reason: expect.stringContaining('exited with code 3') as unknown },
    });
  });

  // The docs' pages after the tour's end is checked: what they run leaves it as it is.
  runnable(docs).forEach(runAsTold);

  for (const command of commands.filter(isConsole)) {
    it(`Console: ${command.line}`, async () => {
      const console = startAsPrinted(command.line, prelude);
      try {
        const [, url] = await console.waitFor(/open (http:\/\/127\.0\.0\.1:\d+\/#key=\S+)/, 60_000);
        const page = await fetch(url ?? '');
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<script');
      } finally {
        await console.stop(10_000);
      }
    }, 90_000);
  }
});
