import { describe, expect, it } from 'vitest';
import { banner, type LocalMode } from '../../../scripts/local.js';
import { config } from '../../support/release-fixtures.js';

describe('the local-mode banner', () => {
  it('prints the API URL and token as the CLI reads them, ready to paste', () => {
    const endpoints = {
      emulator: 'http://127.0.0.1:5001',
      httpApi: 'http://127.0.0.1:3100',
      lambda: 'http://127.0.0.1:3102',
    };
    const mode = { endpoints, token: 'tok123', config } as unknown as LocalMode;
    const lines = banner(mode, 'http://127.0.0.1:3200');
    expect(lines).toContain('   export CONDUCTOR_API_URL=http://127.0.0.1:3100 CONDUCTOR_API_TOKEN=tok123');
    expect(lines).toContain('   npx ecs-conductor status');
    expect(lines.join('\n')).not.toMatch(/export TOKEN=/);
  });
});
