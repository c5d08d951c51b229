import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConductorConfig } from '../../../src/config/load.js';
import { describe, expect, it } from 'vitest';
import { banner } from '../../../scripts/lib/local-banner.js';
import { PROJECT_ROOT } from '../../../scripts/lib/venv.js';
import type { LocalMode } from '../../../scripts/local.js';
import { seededSwitches } from '../../../src/local/switches.js';
import { readConductorConfigFile } from '../../../src/config/file.js';
import { config } from '../../support/release-fixtures.js';

const endpoints = {
  emulator: 'http://127.0.0.1:5001',
  httpApi: 'http://127.0.0.1:3100',
  lambda: 'http://127.0.0.1:3102',
};

function mode(overrides: Partial<LocalMode> = {}): LocalMode {
  return {
    endpoints,
    token: 'tok123',
    config,
    configPath: join(PROJECT_ROOT, 'conductor.yml'),
    switches: [],
    ...overrides,
  } as unknown as LocalMode;
}

describe('the local-mode banner', () => {
  it('prints every URL and the token as the CLI reads them, ready to paste', () => {
    const lines = banner(mode(), 'http://127.0.0.1:3200');
    expect(lines).toContain('   export CONDUCTOR_API_URL=http://127.0.0.1:3100 CONDUCTOR_API_TOKEN=tok123');
    expect(lines).toContain(
      '   export CONDUCTOR_EMULATOR_URL=http://127.0.0.1:5001 CONDUCTOR_LAMBDA_URL=http://127.0.0.1:3102',
    );
    expect(lines).toContain('   npx ecs-conductor status');
    expect(lines.join('\n')).not.toMatch(/export TOKEN=/);
  });

  it('says that native deployments are played by local mode, and how to make a smoke check fail', () => {
    const gates = parseConductorConfig(
      parse(readFileSync(join(PROJECT_ROOT, 'examples/release-gates/conductor.yml'), 'utf8')),
    );
    const lines = banner(mode({ config: gates }), '-');
    expect(lines).toContain(
      '   Native deployments       played by local mode (wsgi BLUE_GREEN): moto has no service deployments',
    );
    expect(lines).toContain(
      '                            a PAUSE hook waits for approve/reject: ContinueServiceDeployment is played too',
    );
    expect(lines).toContain(
      '   Test listener            http://127.0.0.1:4100 (curl -X POST "http://127.0.0.1:4100/local/smoke?status=500" makes it fail)',
    );
    expect(banner(mode(), '-').join('\n')).not.toContain('Native deployments');
  });

  it('offers `local push` on the first environment, with --config when local mode runs another file', () => {
    expect(banner(mode(), '-').join('\n')).toMatch(/^ {3}npx ecs-conductor local push cgap-mastertest 1\.4\.0 {3}#/m);
    const other = mode({ configPath: join(PROJECT_ROOT, 'examples/x/conductor.yml') });
    expect(banner(other, '-').join('\n')).toContain(
      'npx ecs-conductor local push cgap-mastertest 1.4.0 --config examples/x/conductor.yml',
    );
  });

  it('says what the token may do: everything, unless CONDUCTOR_API_TOKENS or CONDUCTOR_LOCAL_PRINCIPAL say otherwise', () => {
    expect(banner(mode(), '-')).toContain(
      '   The token below          may do everything (local operator arn:aws:iam::123456789012:role/local-operator)',
    );
    const mapped = banner(mode(), '-', {
      CONDUCTOR_API_TOKENS: JSON.stringify({ tok123: 'arn:aws:iam::123456789012:role/cgap-developer' }),
    });
    expect(mapped).toContain(
      "   The token below          acts as arn:aws:iam::123456789012:role/cgap-developer: only what the config's access lists allow it",
    );
  });

  it('lists the failure switches in force, or none', () => {
    expect(banner(mode(), '-')).toContain('   none (builds succeed, deployment tasks exit 0)');
    const lines = banner(mode({ switches: seededSwitches(/^bad/, /^9\./) }), '-');
    expect(lines).toContain('   builds of versions matching /^bad/ fail');
    expect(lines).toContain('   deployment tasks of versions matching /^9\\./ exit 1');
  });

  it('says that only what happens is printed from here, and how to see everything', () => {
    expect(banner(mode(), '-').join('\n')).toContain(
      ' From here: one line per release that changes state, scaling change, warning or\n' +
        ' error. `npm start -- --verbose` (or CONDUCTOR_VERBOSE=1) prints everything.\n',
    );
    expect(banner(mode(), '-', {}, 'verbose').join('\n')).toContain(' From here: everything serverless-offline');
  });

  it('says that the emulator state is lost when local mode stops', () => {
    expect(banner(mode(), '-').join('\n')).toContain(
      ' Ctrl-C stops everything. The emulator keeps its state in memory only: releases, images, builds\n' +
        ' and scaling history are lost when local mode stops; the next npm start seeds a fresh world.\n',
    );
  });
});

describe('the local-mode banner of a config whose deploys watch alarms', () => {
  it('names the alarms local mode created and prints the AWS CLI command that sets one to ALARM', () => {
    const configPath = join(PROJECT_ROOT, 'examples', 'release-gates', 'conductor.yml');
    const lines = banner(mode({ config: readConductorConfigFile(configPath), configPath }), '-');
    expect(lines).toContain(' Alarms deploys watch (created OK): gates-production-wsgi-5xx');
    expect(lines).toContain('   npx ecs-conductor local alarm gates-production-wsgi-5xx ALARM');
    expect(lines).toContain(
      '   aws --endpoint-url http://127.0.0.1:5001 cloudwatch set-alarm-state --alarm-name gates-production-wsgi-5xx --state-value ALARM --state-reason test',
    );
  });

  it('says nothing of alarms for a config that watches none', () => {
    expect(banner(mode(), '-').join('\n')).not.toContain('set-alarm-state');
  });
});
