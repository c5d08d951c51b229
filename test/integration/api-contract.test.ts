import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, venvBin } from '../../scripts/lib/venv.js';
import { TOKENS } from '../support/local-tokens.js';
import { sharedLocalMode, type LocalModeInUse } from '../support/shared-local-mode.js';

/**
 * The API against its own OpenAPI document: schemathesis (requirements-dev.txt) loads GET /openapi.json
 * from local mode, generates requests for every operation (valid and invalid ones) and checks that no
 * reply is a 5xx and every reply matches the document. Bounded: few examples per operation, a fixed
 * seed (reproducible), one worker, and a hard time limit.
 */

const SEED = 20261125;
const MAX_EXAMPLES = 25;
const TIME_LIMIT_MS = 150_000;

/**
 * Path parameters fixed to real names, so generated requests reach the routes' logic instead of
 * stopping at 404 (unknown names are covered by api-http.test.ts). POSTs then really act on the
 * emulator — builds of made-up versions are refused, a scale of the ingester may go through — which is fine.
 */
const CONFIG = ['[parameters]', '"path.env" = "cgap-mastertest"', '"path.service" = "ingester"', ''].join('\n');

interface RunResult {
  code: number | null;
  output: string;
  ms: number;
}

function schemathesis(args: string[]): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolveRun) => {
    execFile(
      venvBin('schemathesis'),
      args,
      {
        cwd: PROJECT_ROOT,
        timeout: TIME_LIMIT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolveRun({ code, output: `${stdout}${stderr}`, ms: Date.now() - started });
      },
    );
  });
}

let local: LocalModeInUse;
let workDir: string;

beforeAll(async () => {
  local = await sharedLocalMode();
  workDir = await mkdtemp(join(tmpdir(), 'conductor-schemathesis-'));
}, 60_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe('the API against its OpenAPI document (schemathesis)', () => {
  it(
    'finds no 5xx and no reply that violates the document',
    async () => {
      const configFile = join(workDir, 'schemathesis.toml');
      await writeFile(configFile, CONFIG);
      const result = await schemathesis([
        '--config-file',
        configFile,
        '--no-color',
        'run',
        `${local.endpoints.httpApi}/openapi.json`,
        '--header',
        `Authorization: Bearer ${TOKENS.release}`,
        '--checks',
        'not_a_server_error,response_schema_conformance',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--seed',
        String(SEED),
        '--workers',
        '1',
        '--request-timeout',
        '20',
        '--generation-database',
        'none',
      ]);
      const cases = /(\d+) generated, (.+)$/m.exec(result.output);
      const operations = /Tested: (\d+)/.exec(result.output)?.[1] ?? '?';
      console.log(
        `schemathesis ${SEED}: ${operations} operations, ${cases ? `${cases[1] ?? '?'} test cases: ${cases[2] ?? ''}` : 'no summary'}, in ${(result.ms / 1000).toFixed(1)} s (exit ${String(result.code)})`,
      );
      if (result.code !== 0) console.log(result.output.slice(-8000));
      expect(result.code, 'schemathesis exit code (null: killed at the time limit)').toBe(0);
      expect(Number(operations)).toBeGreaterThanOrEqual(5);
    },
    TIME_LIMIT_MS + 20_000,
  );
});
