import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs the docker/ entrypoints on this machine with stub commands on PATH. Every stub and the fake
 * ECS agent append to one journal file, so a test can assert the order of what happened across
 * processes ("protection on" before "processing", "deleted" before "protection off").
 */

export const DOCKER_DIR = resolve(import.meta.dirname, '../../../docker');

/** Runs docker/Makefile's `target` silently with make variables `NAME=value`. */
export function makeDocker(target: string, variables: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync('make', ['-s', '-C', DOCKER_DIR, target, ...variables], { encoding: 'utf8', env });
}

/**
 * The interpreter behind `python3`, given to the entrypoints as PYTHON: a version manager's shim (pyenv)
 * would add a shell start to each of their many short python calls.
 */
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningEntrypoint {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output: () => string;
  exited: Promise<Exit>;
}

export interface AgentRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeAgent {
  /** The value ECS puts in ECS_AGENT_URI. */
  uri: string;
  requests: AgentRequest[];
}

/** What the fake agent answers: ECS confirms, unless a test makes it refuse. */
export type AgentAnswer = (request: AgentRequest) => { status: number; body: unknown };

const confirm: AgentAnswer = (request) => ({
  status: 200,
  body: { protection: { ...(request.body as object), TaskArn: 'arn:aws:ecs:task/test' } },
});

export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'conductor-docker-'));
  readonly bin = join(this.dir, 'bin');
  private readonly journalFile = join(this.dir, 'journal.log');
  private readonly servers: Server[] = [];
  /** Variables every entrypoint this sandbox starts gets (fakes add their endpoints here). */
  readonly env: Record<string, string> = { PYTHON };

  constructor() {
    mkdirSync(this.bin);
    writeFileSync(this.journalFile, '');
  }

  /**
   * Puts an executable bash script NAME first on PATH. The body may call `journal TEXT...` to record a
   * line.
   */
  stub(name: string, body: string): string {
    const path = join(this.bin, name);
    const preamble = ['#!/usr/bin/env bash', 'journal() { printf "%s\\n" "$*" >>"$SANDBOX/journal.log"; }'].join('\n');
    writeFileSync(path, `${preamble}\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** Lines recorded so far by stubs and the fake agent. */
  journal(): string[] {
    return readFileSync(this.journalFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  }

  record(line: string): void {
    appendFileSync(this.journalFile, `${line}\n`);
  }

  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  /** Starts docker/<script> with only the given variables (plus PATH and HOME) in its environment. */
  start(script: string, env: Record<string, string> = {}): RunningEntrypoint {
    const child = spawn('bash', [resolve(DOCKER_DIR, script)], {
      cwd: this.dir,
      // Its own process group, so `dispose` can kill what the entrypoint left behind.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${this.bin}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? this.dir,
        LANG: 'C.UTF-8',
        SANDBOX: this.dir,
        // mktemp and friends write inside the sandbox, removed with it even if a test kills the entrypoint.
        TMPDIR: this.dir,
        ...this.env,
        ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<Exit>((done) =>
      child.on('exit', (code, signal) => {
        done({ code, signal });
      }),
    );
    return { child, output: () => output, exited };
  }

  /**
   * Serves `handle` (with the request body read) on a free port of `host` until `dispose`; resolves with
   * the base URL.
   */
  async listen(
    handle: (request: IncomingMessage, body: string, response: ServerResponse) => void,
    host = '127.0.0.1',
  ): Promise<string> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        handle(req, body, res);
      });
    });
    this.servers.push(server);
    await new Promise<void>((listening) => server.listen(0, host, listening));
    const { port } = server.address() as AddressInfo;
    return `http://${host}:${port}`;
  }

  /** A fake ECS container agent on `host`: records task-protection requests and journals each one. */
  async fakeAgent(answer: AgentAnswer = confirm, host = '127.0.0.1'): Promise<FakeAgent> {
    const requests: AgentRequest[] = [];
    const base = await this.listen((req, raw, res) => {
      const request: AgentRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        body: raw === '' ? undefined : JSON.parse(raw),
      };
      requests.push(request);
      this.record(`agent ${request.method} ${request.path} ${raw}`);
      const { status, body } = answer(request);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    }, host);
    return { uri: `${base}/api/test-task`, requests };
  }

  /**
   * Kills every process this sandbox started: the entrypoints, the commands they started in their own
   * process groups and the stubs. They all inherit SANDBOX=<this directory>, which no other process has.
   */
  async dispose(): Promise<void> {
    const marker = `SANDBOX=${this.dir}\0`;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let environ: string;
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      } catch {
        continue; // gone, or not ours to read
      }
      if (!environ.includes(marker)) continue;
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    await Promise.all(this.servers.map((server) => new Promise((closed) => server.close(closed))));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls until `check` holds; fails with `what` and the entrypoint's output after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean,
  what: string,
  entrypoint?: RunningEntrypoint,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${entrypoint ? `\n--- entrypoint output ---\n${entrypoint.output()}` : ''}`,
      );
    }
    await new Promise((tick) => setTimeout(tick, 25));
  }
}

/** Sends SIGTERM (as ECS does) and resolves with the exit and how long it took. */
export async function terminate(entrypoint: RunningEntrypoint): Promise<Exit & { ms: number }> {
  const started = Date.now();
  entrypoint.child.kill('SIGTERM');
  const exit = await entrypoint.exited;
  return { ...exit, ms: Date.now() - started };
}
