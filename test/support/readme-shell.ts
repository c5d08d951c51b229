import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';

/**
 * A reader's shell for the README test: a fresh user's environment (no AWS or conductor variables of
 * the developer's), the project as working directory, and bash running each command as printed.
 */
export function readerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CONDUCTOR_|EMULATOR_|POWERTOOLS_)/.test(name)) env[name] = value;
  }
  return { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
}

export interface ShellResult {
  exitCode: number;
  output: string;
}

/** Runs one command line with bash after `prelude` (the lines a reader pasted before it). */
export function runAsPrinted(line: string, prelude: readonly string[], timeoutMs: number): Promise<ShellResult> {
  return new Promise((resolveRun) => {
    const child = spawn('bash', ['-c', [...prelude, line].join('\n')], {
      cwd: PROJECT_ROOT,
      env: readerEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ exitCode: code ?? -1, output });
    });
  });
}

/** A long-running command (`npm start`, the console), in its own process group so it stops whole. */
export interface Background {
  child: ChildProcess;
  output: () => string;
  /** Waits until its output matches, failing early if it exits. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
  /** Ctrl-C to the whole group, as a reader would press it; SIGKILL after the grace period. */
  stop: (graceMs?: number) => Promise<void>;
}

export function startAsPrinted(line: string, prelude: readonly string[] = []): Background {
  const child = spawn('bash', ['-c', [...prelude, line].join('\n')], {
    cwd: PROJECT_ROOT,
    env: readerEnvironment(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      resolveExit();
    }),
  );
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  return {
    child,
    output: () => output,
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (child.exitCode !== null)
          throw new Error(`exited with ${String(child.exitCode)} before ${String(pattern)}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${String(timeoutMs)} ms:\n${output}`);
        await sleep(250);
      }
    },
    stop: async (graceMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGINT');
      const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) signal('SIGKILL');
      await exited;
    },
  };
}
