import { describe, expect, it } from 'vitest';
import { ConfigError, parseConductorConfig } from '../../../src/config/load.js';

const environment = (codebuild?: unknown) => ({
  repository: 'app',
  ...(codebuild === undefined ? {} : { codebuild }),
  cluster: 'app',
  services: { wsgi: { service: 'app-wsgi', desiredCount: 1 } },
});

describe('codebuild in the config', () => {
  it('names the project the stack creates for an environment that names none, and marks it managed', () => {
    const config = parseConductorConfig({
      environments: { staging: environment(), preview: environment({}) },
    });
    expect(config.environments.staging?.codebuild).toEqual({ project: 'ecs-conductor-staging-build', managed: true });
    expect(config.environments.preview?.codebuild).toEqual({ project: 'ecs-conductor-preview-build', managed: true });
  });

  it('keeps an existing project by name or ARN, not managed', () => {
    const arn = 'arn:aws:codebuild:us-east-1:123456789012:project/shared-builds';
    const config = parseConductorConfig({
      environments: { staging: environment({ project: 'app-builds' }), prod: environment({ project: arn }) },
    });
    expect(config.environments.staging?.codebuild).toEqual({ project: 'app-builds', managed: false });
    expect(config.environments.prod?.codebuild).toEqual({ project: arn, managed: false });
  });

  it('refuses `managed` in the file: the stack decides it', () => {
    const parsing = () =>
      parseConductorConfig({ environments: { staging: environment({ project: 'app', managed: true }) } });
    expect(parsing).toThrow(ConfigError);
    expect(parsing).toThrow('environments.staging.codebuild: Unrecognized key: "managed"');
  });
});
