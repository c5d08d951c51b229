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
