import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { startFakeApi, type FakeApi } from '../../support/fake-api.js';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const refused = {
  status: 422,
  body: {
    error: {
      code: 'CONFIRMATION_REQUIRED',
      message: 'cgap-prod is production: to roll back, confirm with its name',
      details: [{ path: 'body.confirm', message: 'must be "cgap-prod": cgap-prod is production' }],
      requestId: 'r',
    },
  },
};

async function cli(args: string[]) {
  api = await startFakeApi({
    'POST /environments/cgap-prod/rollback': refused,
    'POST /environments/cgap-prod/services/indexer/scale': refused,
  });
  let output = '';
  const code = await main(
    ['node', 'ecs-conductor', '--api', api.url, '--token', 't', ...args],
    (text) => (output += text),
    {
      env: {},
    },
  );
  return { code, output, bodies: api.requests.map((request) => JSON.parse(request.body || '{}') as unknown) };
}

describe('--confirm ENV on rollback and scale (production environments)', () => {
  it('sends the confirmation with rollback and scale', async () => {
    expect((await cli(['rollback', 'cgap-prod', '--confirm', 'cgap-prod'])).bodies).toEqual([{ confirm: 'cgap-prod' }]);
    expect((await cli(['scale', 'cgap-prod', 'indexer', '2', '--confirm', 'cgap-prod'])).bodies).toEqual([
      { desiredCount: 2, confirm: 'cgap-prod' },
    ]);
  });

  it('says the refusal in the CLI’s words: --confirm, not body.confirm', async () => {
    const result = await cli(['rollback', 'cgap-prod']);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('--confirm');
    expect(result.output).not.toContain('body.confirm');
  });
});

describe('errors the CLI can act on', () => {
  const HOLDER = 'rel-0123456789abcdef0123';
  const conflict = {
    status: 409,
    body: {
      error: {
        code: 'CONFLICT',
        message: 'environment cgap-prod is locked by another rollout',
        details: [{ path: 'environment', message: `active release ${HOLDER}` }],
        requestId: 'r',
      },
    },
  };

  async function rollbackAgainst(reply: typeof conflict, extra: string[] = []) {
    api = await startFakeApi({ 'POST /environments/cgap-prod/rollback': reply });
    let output = '';
    let errors = '';
    const code = await main(
      ['node', 'ecs-conductor', '--api', api.url, '--token', 't', ...extra, 'rollback', 'cgap-prod'],
      (text) => (output += text),
      { env: {}, writeError: (text) => (errors += text) },
    );
    return { code, output, errors };
  }

  it('a 409 names the release holding the environment and the command to follow it', async () => {
    const result = await rollbackAgainst(conflict);
    expect(result.code).toBe(1);
    expect(result.errors).toContain(`follow it: ecs-conductor watch ${HOLDER}, then run this command again`);
  });

  it('with --json, the error is JSON too', async () => {
    const result = await rollbackAgainst(conflict, ['--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.errors)).toEqual({
      error: {
        status: 409,
        code: 'CONFLICT',
        message: 'environment cgap-prod is locked by another rollout',
        details: [{ path: 'environment', message: `active release ${HOLDER}` }],
        requestId: 'req-1',
      },
    });
  });
});
