import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

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
        '  cgap-supertest: names from stack c4-ecs-stack-cgapsupertest, checked when packaged or in local mode\n',
    });
  });

  it('exits 1 listing every problem with its path', async () => {
    const result = await runCli('config', 'validate', 'test/fixtures/config/invalid.yml', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.output)).toEqual({
      valid: false,
      problems: [
        'environments.cgap-prod.cluster: must not be empty',
        'environments.cgap-prod.queues.ingestion.maxTasks: must be >= minTasks',
      ],
    });
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
