import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { startFakeApi, type FakeApi } from '../../support/fake-api.js';

let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

function release(id: string, version: string) {
  return {
    id,
    environment: 'cgap-mastertest',
    version,
    state: 'COMPLETED',
    triggeredBy: 'arn:aws:iam::123456789012:role/cgap-release',
    createdAt: '2026-11-25T15:00:00.000Z',
    updatedAt: '2026-11-25T15:00:00.000Z',
    sourceDigest: `sha256:${'a'.repeat(64)}`,
    builds: {},
    timeline: [],
  };
}

async function cli(args: string[]) {
  let output = '';
  const code = await main(
    ['node', 'ecs-conductor', '--api', api?.url ?? '', '--token', 't', ...args],
    (text) => {
      output += text;
    },
    { env: {} },
  );
  return { code, output };
}

describe('a release named by environment and version', () => {
  it('is the newest release of that version, found across history pages', async () => {
    const older = 'rel-00000000000000000001';
    const newer = 'rel-00000000000000000002';
    api = await startFakeApi({
      'GET /environments/cgap-mastertest/releases': [
        { status: 200, body: { releases: [release('rel-00000000000000000009', '1.6.0')], cursor: 'page2' } },
        { status: 200, body: { releases: [release(newer, '1.5.0'), release(older, '1.5.0')] } },
      ],
      [`GET /releases/${newer}`]: { status: 200, body: release(newer, '1.5.0') },
    });
    const result = await cli(['release', 'cgap-mastertest', '1.5.0']);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(newer);
    expect(api.requests.map((request) => request.url)).toEqual([
      '/environments/cgap-mastertest/releases?limit=100',
      '/environments/cgap-mastertest/releases?limit=100&cursor=page2',
      `/releases/${newer}`,
    ]);
  });

  it('says so, naming the environment and version, when no release has it', async () => {
    api = await startFakeApi({
      'GET /environments/cgap-mastertest/releases': {
        status: 200,
        body: { releases: [release('rel-00000000000000000009', '1.6.0')] },
      },
    });
    const result = await cli(['watch', 'cgap-mastertest', '1.5.0']);
    expect(result.code).toBe(1);
    expect(result.output).toBe(
      'error: no release of version 1.5.0 in environment cgap-mastertest (see: releases cgap-mastertest)\n',
    );
  });

  it('is not looked up when a release id is given alone', async () => {
    const id = 'rel-00000000000000000003';
    api = await startFakeApi({ [`GET /releases/${id}`]: { status: 200, body: release(id, '1.4.0') } });
    const result = await cli(['release', id]);
    expect(result.code, result.output).toBe(0);
    expect(api.requests.map((request) => request.url)).toEqual([`/releases/${id}`]);
  });
});
