import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { problemsOf } from '../../support/config-problems.js';

const environment = (gates?: unknown) => ({
  repository: 'app',
  codebuild: { project: 'app' },
  cluster: 'app',
  services: { wsgi: { service: 'app-wsgi', desiredCount: 2 } },
  ...(gates === undefined ? {} : { gates }),
});

describe('gates in the config', () => {
  it('maps declared gates onto the environment with their defaults, and leaves them out when undeclared', () => {
    const config = parseConductorConfig({
      environments: {
        staging: environment(),
        production: environment({
          alarms: ['prod-{service}-5xx'],
          scan: {},
          promoteFrom: 'staging',
          override: ['arn:aws:iam::123456789012:role/ops-*'],
        }),
      },
    });
    expect(config.environments.staging?.gates).toBeUndefined();
    expect(config.environments.production?.gates).toEqual({
      alarms: ['prod-{service}-5xx'],
      scan: { failAt: 'CRITICAL', waitSeconds: 60, scanner: 'basic' },
      promoteFrom: 'staging',
      override: ['arn:aws:iam::123456789012:role/ops-*'],
    });
  });

  it('fills the approval gate’s defaults and needs an approver', () => {
    const approve = ['arn:aws:iam::123456789012:role/approver'];
    const config = parseConductorConfig({ environments: { production: environment({ approval: { approve } }) } });
    expect(config.environments.production?.gates?.approval).toEqual({
      at: 'before-rollout',
      approve,
      fourEyes: false,
      expiresAfterMinutes: 1440,
    });
    expect(problemsOf({ environments: { production: environment({ approval: { approve: [] } }) } })).toEqual([
      'environments.production.gates.approval.approve: must list at least one approver',
    ]);
  });

  it('takes approval before production traffic only where a rolled service has a native strategy', () => {
    const approval = { at: 'before-production-traffic', approve: ['arn:aws:iam::123456789012:role/approver'] };
    expect(problemsOf({ environments: { production: environment({ approval }) } })).toEqual([
      'environments.production.gates.approval.at: before-production-traffic pauses an ECS-native deployment, but no service this environment rolls has a strategy: set services.<key>.strategy (BLUE_GREEN, LINEAR or CANARY) or use at: before-rollout',
    ]);
    expect(
      problemsOf({ environments: { production: environment({ approval: { ...approval, at: 'later' } }) } }),
    ).toEqual([expect.stringMatching(/^environments\.production\.gates\.approval\.at: /)]);
  });

  it('names each bad gate with its path', () => {
    expect(
      problemsOf({
        environments: {
          production: environment({
            scan: { failAt: 'SEVERE', waitSeconds: 9999, scanner: 'inspector' },
            promoteFrom: 'stageing',
            override: ['alice'],
            approvers: [],
          }),
        },
      }),
    ).toEqual([
      'environments.production.gates.scan.failAt: Invalid option: expected one of "INFORMATIONAL"|"LOW"|"MEDIUM"|"HIGH"|"CRITICAL"',
      'environments.production.gates.scan.waitSeconds: Too big: expected number to be <=600',
      'environments.production.gates.scan.scanner: Invalid option: expected one of "basic"|"enhanced"',
      'environments.production.gates.override.0: must be an IAM role or user ARN, or an STS assumed-role ARN (* allowed in the name)',
      'environments.production.gates: Unrecognized key: "approvers"',
    ]);
  });

  it('refuses a promotion from an environment the config lacks, or from the environment itself', () => {
    expect(problemsOf({ environments: { production: environment({ promoteFrom: 'staging' }) } })).toEqual([
      'environments.production.gates.promoteFrom: no environment "staging" in the config',
    ]);
    expect(problemsOf({ environments: { staging: environment({ promoteFrom: 'staging' }) } })).toEqual([
      'environments.staging.gates.promoteFrom: must name another environment',
    ]);
  });

  it('takes a bake in whole minutes (0 to a day), only where alarms are watched; unset, the domain’s default applies', () => {
    const baked = parseConductorConfig({
      environments: { production: environment({ alarms: ['prod-5xx'], bakeMinutes: 30 }) },
    });
    expect(baked.environments.production?.gates?.bakeMinutes).toBe(30);
    expect(
      problemsOf({ environments: { production: environment({ alarms: ['prod-5xx'], bakeMinutes: 1.25 }) } }),
    ).toEqual(['environments.production.gates.bakeMinutes: must be whole or half minutes']);
    const half = parseConductorConfig({
      environments: { production: environment({ alarms: ['prod-5xx'], bakeMinutes: 0.5 }) },
    });
    expect(half.environments.production?.gates?.bakeMinutes).toBe(0.5);
    expect(problemsOf({ environments: { production: environment({ bakeMinutes: 5 }) } })).toEqual([
      'environments.production.gates.bakeMinutes: a bake watches gates.alarms: name at least one alarm',
    ]);
  });
});
