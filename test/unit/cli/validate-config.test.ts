import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { readConductorConfigFile } from '../../../src/config/file.js';

async function runCli(...args: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await main(['node', 'ecs-conductor', ...args], (text) => (output += text));
  return { code, output };
}

describe('ecs-conductor config validate', () => {
  it('accepts the shipped example and names its environments', async () => {
    const result = await runCli('config', 'validate', 'conductor.yml');
    expect(result).toEqual({ code: 0, output: 'conductor.yml: valid (cgap-mastertest, cgap-prod)\n' });
  });

  it('checks a config that takes names from a stack offline, saying which', async () => {
    const file = 'examples/cgap-4dn-cloud-infra/conductor.yml';
    expect(await runCli('config', 'validate', file)).toEqual({
      code: 0,
      output:
        `${file}: valid (cgap-supertest)\n` +
        '  cgap-supertest: names from stack c4-ecs-cgap-supertest-stack, checked when packaged or in local mode\n',
    });
  });

  it("the example's indexer scaling, off until turned on, is valid once its lines are uncommented", async () => {
    const example = readFileSync('examples/cgap-4dn-cloud-infra/conductor.yml', 'utf8');
    const turnedOn = example.replace(/^( {6})#(?=indexer:| {2})/gm, '$1');
    expect(turnedOn).toContain('      indexer: # {env}-indexer-queue');
    const file = join(mkdtempSync(join(tmpdir(), 'indexer-')), 'conductor.yml');
    writeFileSync(file, turnedOn);
    expect(await runCli('config', 'validate', file)).toMatchObject({ code: 0 });
    expect(example).not.toContain('      indexer: # {env}-indexer-queue');
  });

  it('exits 1 listing every problem with its path', async () => {
    const result = await runCli('config', 'validate', 'test/fixtures/config/invalid.yml', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.output)).toEqual({
      valid: false,
      problems: [
        { path: 'environments.cgap-prod.cluster', line: 6, column: 5, message: 'must not be empty' },
        {
          path: 'environments.cgap-prod.queues.ingestion.maxTasks',
          line: 10,
          column: 86,
          message: 'must be >= minTasks',
        },
      ],
    });
  });

  it('lists field and cross-field problems in one run, each at its line and column, with a suggestion for a misspelt key', async () => {
    const file = 'test/fixtures/config/mixed-problems.yml';
    const result = await runCli('config', 'validate', file);
    expect(result.code).toBe(1);
    expect(result.output.split('\n')).toEqual([
      `${file}: invalid (4 problems)`,
      `  ${file}:3:3 environments.cgap-prod.repository: missing required key (expected string)`,
      `  ${file}:4:5 environments.cgap-prod.repositry: unknown key; did you mean "repository"?`,
      `  ${file}:8:48 environments.cgap-prod.services.ingester.desiredCount: Invalid input: expected number, received string`,
      `  ${file}:10:86 environments.cgap-prod.queues.ingestion.maxTasks: must be >= minTasks`,
      '',
    ]);
  });

  it('reports a YAML syntax error alone, at its line and column, not buried under what the schema makes of the rest', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'validate-')), 'broken.yml');
    // Schema problems too (empty cluster, misspelt key, a count in words): none is listed until the YAML reads.
    writeFileSync(
      file,
      'environments:\n  cgap-prod:\n    cluster: ""\n    repositry: cgap\n    services:\n      portal: {desiredCount: "two"\n',
    );
    expect(await runCli('config', 'validate', file)).toEqual({
      code: 1,
      output: `${file}: invalid (1 problem)\n  ${file}:7:1 (yaml): Flow map in block collection must be sufficiently indented and end with a }\n`,
    });
    const json = await runCli('config', 'validate', file, '--json');
    expect(JSON.parse(json.output)).toEqual({
      valid: false,
      problems: [
        {
          path: '(yaml)',
          line: 7,
          column: 1,
          message: 'Flow map in block collection must be sufficiently indented and end with a }',
        },
      ],
    });
    // Whatever else loads the file says the same first, before any schema check.
    expect(() => readConductorConfigFile(file)).toThrow(
      `invalid conductor configuration:\n  ${file}:7:1 (yaml): Flow map in block collection must be sufficiently indented and end with a }`,
    );
  });

  it('reports a missing file as a problem, not a crash', async () => {
    const result = await runCli('config', 'validate', 'no-such-file.yml');
    expect(result.code).toBe(1);
    expect(result.output).toContain('no-such-file.yml: invalid');
    expect(result.output).toContain('ENOENT');
  });

  it('prints help and exits 0', async () => {
    const result = await runCli('config', 'validate', '--help');
    expect(result.code).toBe(0);
    expect(result.output).toContain('validate a config file offline');
  });
});
