import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import type { LocalMode } from '../../scripts/local.js';
import { gatesLocal } from '../support/gates-local.js';
import { startLocalModeOn } from '../support/local-api.js';

/**
 * `CONDUCTOR_CONFIG=examples/release-gates/conductor.yml npm start`: production refuses a version with
 * a critical finding and one that did not complete in staging, and waits for an approval, through
 * the API, the CLI's `local scan` and `approve`.
 */

const CONFIG = join(PROJECT_ROOT, 'examples', 'release-gates', 'conductor.yml');

describe('release gates in local mode (examples/release-gates)', () => {
  let local: LocalMode;

  beforeAll(async () => {
    local = await startLocalModeOn(CONFIG, 'gates-token');
  }, 240_000);

  afterAll(async () => {
    await local.stop();
  }, 60_000);

  const { api, cli, approve, push, settle } = gatesLocal(() => local);

  it('refuses a version with a critical finding, naming the gate and its evidence', async () => {
    await push('1.0.0', 'production');
    const scanned = await cli(['local', 'scan', 'production', '1.0.0', '--critical', '1', '--config', CONFIG]);
    expect(scanned.output).toContain('scan of 1.0.0 in production: CRITICAL 1');
    expect(scanned.code).toBe(0);

    const refused = await api('POST', '/environments/production/deployments', { version: '1.0.0' });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({
      error: {
        code: 'GATE_REFUSED',
        details: [
          {
            path: 'gates.scan',
            message: expect.stringContaining('has findings at or above CRITICAL: CRITICAL 1') as string,
          },
        ],
      },
    });
  }, 120_000);

  it('refuses a version that did not complete in staging, then waits for approval once it did, and rolls out on approval', async () => {
    const stagingId = await push('2.0.0', 'staging');
    const clean = await cli(['local', 'scan', 'production', '2.0.0', '--config', CONFIG]);
    expect(clean.code).toBe(0);

    const early = await api('POST', '/environments/production/deployments', { version: '2.0.0' });
    expect(early).toMatchObject({
      status: 422,
      json: { error: { code: 'GATE_REFUSED', details: [{ path: 'gates.promotion' }] } },
    });

    expect((await api('POST', '/environments/staging/deployments', { version: '2.0.0' })).status).toBe(202);
    expect((await settle(stagingId)).state).toBe('COMPLETED');

    const asked = await api('POST', '/environments/production/deployments', { version: '2.0.0' });
    expect(asked).toMatchObject({ status: 202, json: { state: 'AWAITING_APPROVAL' } });
    const productionId = String(asked.json.id);

    const approved = await approve('2.0.0', 'staging is green');
    expect(approved.code).toBe(0);
    const done = await settle(productionId);
    expect(done.state).toBe('COMPLETED');
    const steps = done.timeline.map((entry) => entry.step);
    for (const step of ['gate scan passed', 'gate promotion passed', 'gate approval awaited', 'gate approval passed']) {
      expect(steps).toContain(step);
    }
  }, 180_000);
});
