import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deployPlan } from '../../../../src/console/web/actions/deploy-plan.js';
import type { ReleaseView } from '../../../../src/console/web/api-types.js';
import { isProduction } from '../../../../src/console/web/production.js';
import { plansOfConfig } from '../../../../src/console/plan.js';
import type { ConsoleSession } from '../../../../src/console/web/session.js';
import { parseConductorConfig } from '../../../../src/config/load.js';

const config = parseConductorConfig(parse(readFileSync(new URL('../../../../conductor.yml', import.meta.url), 'utf8')));
const session = (plans: ConsoleSession['plans']): ConsoleSession => ({
  api: { url: 'http://127.0.0.1:3000', auth: 'token' },
  routes: [],
  plans,
  plansFrom: 'conductor.yml',
});

describe('the plan a deploy shows before it starts', () => {
  it('follows the config’s rollout order, and a chosen task replaces the routine one', () => {
    const withConfig = session(plansOfConfig(config));
    expect(deployPlan(withConfig, 'cgap-mastertest', undefined, [])).toEqual({
      source: 'from conductor.yml',
      steps: [
        { kind: 'services', services: ['wsgi', 'indexer', 'ingester'] },
        { kind: 'task', task: 'deployment' },
      ],
    });
    expect(deployPlan(withConfig, 'cgap-mastertest', 'initial-deployment', [])?.steps.at(-1)).toEqual({
      kind: 'task',
      task: 'initial-deployment',
    });
    expect(withConfig.plans['cgap-mastertest']?.tasks).toContainEqual(
      expect.objectContaining({ name: 'initial-deployment', destructive: true }),
    );
  });

  it('without a config, shows the steps of the environment’s last deploy, or says it knows none', () => {
    const steps = [{ kind: 'task' as const, task: 'deployment' }];
    const lastDeploy = { version: '1.3.9', rollout: { kind: 'deploy', steps } } as unknown as ReleaseView;
    expect(deployPlan(session({}), 'cgap-mastertest', undefined, [lastDeploy])).toEqual({
      steps,
      source: 'as the last deploy ran (1.3.9)',
    });
    expect(deployPlan(session({}), 'cgap-mastertest', undefined, [])).toBeUndefined();
  });

  it('counts as production exactly the environments the API flags production, whatever their names', () => {
    expect(isProduction({ production: true })).toBe(true);
    expect(isProduction({ production: false })).toBe(false);
    expect(isProduction({})).toBe(false); // a `cgap-prod` without the flag is what its config says
    expect(isProduction(undefined)).toBe(false);
  });
});
