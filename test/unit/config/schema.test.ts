import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConductorConfig, parseConductorConfig } from '../../../src/config/load.js';
import { problemsOf } from '../../support/config-problems.js';

const example = (): Record<string, unknown> =>
  parse(readFileSync(new URL('../../../conductor.yml', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A minimal valid environment; tests spread their breakage over it. */
function minimalEnvironment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    repository: 'app',
    codebuild: { project: 'app' },
    cluster: 'app',
    services: { wsgi: { service: 'app-wsgi', desiredCount: 2 } },
    ...overrides,
  };
}

const network = { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] };

describe('conductor config', () => {
  it('accepts the shipped example and fills defaults', () => {
    const config = parseConductorConfig(example());
    const prod = config.environments['cgap-prod'];
    expect(Object.keys(config.environments)).toEqual(['cgap-mastertest', 'cgap-prod']);
    expect(prod?.entrypoints.map((e) => e.name)).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(prod?.entrypoints[1]).toEqual({
      name: 'indexer',
      tagSuffix: '-indexer',
      dockerEntrypoint: 'entrypoint_indexer.sh',
    });
    expect(prod?.services.wsgi).toMatchObject({ container: 'app', desiredCount: 8 });
    expect(prod?.queues.ingestion).toMatchObject({
      messagesPerTask: 1,
      stabilizationSeconds: 300,
      visibilityTimeoutSeconds: 21600,
    });
    expect(prod?.deploymentTasks['initial-deployment']?.destructive).toBe(true);
    expect(prod?.deploymentTasks.deployment?.network.assignPublicIp).toBe(false);
  });

  it('models CGAP: wsgi 8 and indexer 4 on FARGATE_SPOT, ingester 1 on FARGATE reading a 6 h queue', () => {
    const env = parseConductorConfig(example()).environments['cgap-mastertest'];
    expect(env?.services.wsgi?.capacityProviderStrategy?.[0]?.capacityProvider).toBe('FARGATE_SPOT');
    expect(env?.services.indexer).toMatchObject({ desiredCount: 4 });
    expect(env?.services.ingester?.capacityProviderStrategy?.[0]?.capacityProvider).toBe('FARGATE');
    expect(env?.queues.ingestion).toMatchObject({
      queue: 'cgap-mastertest-ingestion-queue',
      visibilityTimeoutSeconds: 21600,
    });
  });

  it("takes a service's and a deployment task's container environment and stopTimeout, and checks them", () => {
    const settings = { environment: { INGESTION_GRACE: '90' }, stopTimeout: 120 };
    const env = (service: Record<string, unknown>, task: Record<string, unknown>) => ({
      environments: {
        app: minimalEnvironment({
          services: { wsgi: { service: 'app-wsgi', desiredCount: 2, ...service } },
          deploymentTasks: { deployment: { taskDefinition: 'app-deployment', network, ...task } },
        }),
      },
    });
    const parsed = parseConductorConfig(env(settings, settings)).environments.app;
    expect(parsed?.services.wsgi).toMatchObject(settings);
    expect(parsed?.deploymentTasks.deployment).toMatchObject(settings);
    expect(problemsOf(env({ stopTimeout: 121 }, { environment: { '1BAD': 'x' } }))).toEqual([
      'environments.app.services.wsgi.stopTimeout: Too big: expected number to be <=120',
      'environments.app.deploymentTasks.deployment.environment: names must be environment variable names (letters, digits and _, not starting with a digit)',
    ]);
  });

  it('rejects maxTasks below minTasks with the documented path', () => {
    const doc = {
      environments: {
        'cgap-prod': minimalEnvironment({
          queues: { ingestion: { queue: 'q', service: 'wsgi', minTasks: 3, maxTasks: 2 } },
        }),
      },
    };
    expect(problemsOf(doc)).toEqual(['environments.cgap-prod.queues.ingestion.maxTasks: must be >= minTasks']);
  });

  it('lists every problem across environments, each with its path', () => {
    const doc = {
      environments: {
        one: minimalEnvironment({ cluster: '', services: { wsgi: { service: 'x', desiredCount: -1 } } }),
        two: minimalEnvironment({ codebuild: { project: ' ' }, repository: 'arn:aws:s3:::bucket' }),
      },
    };
    expect(problemsOf(doc)).toEqual([
      'environments.one.cluster: must not be empty',
      'environments.one.services.wsgi.desiredCount: Too small: expected number to be >=0',
      'environments.two.repository: must be a name or an ARN of service "ecr"',
      'environments.two.codebuild.project: must not be empty',
    ]);
  });

  it.each([
    [
      'unknown top-level key',
      { environments: { a: minimalEnvironment() }, extra: 1 },
      '(root): Unrecognized key: "extra"',
    ],
    ['no environment', { environments: {} }, 'environments: must define at least one environment'],
    [
      'bad environment name',
      { environments: { Prod_1: minimalEnvironment() } },
      'environments.Prod_1: environment names must be lowercase letters, digits and dashes',
    ],
    [
      'unknown environment key',
      { environments: { a: minimalEnvironment({ clustr: 'x' }) } },
      'environments.a: Unrecognized key: "clustr"',
    ],
    [
      'bad account',
      { environments: { a: minimalEnvironment({ account: '12' }) } },
      'environments.a.account: must be a 12-digit AWS account id',
    ],
    [
      'bad region',
      { environments: { a: minimalEnvironment({ region: 'mars' }) } },
      'environments.a.region: must be an AWS region such as us-east-1',
    ],
    [
      'bad source tag pattern',
      { environments: { a: minimalEnvironment({ sourceTagPattern: '([' }) } },
      'environments.a.sourceTagPattern: must be a valid regular expression',
    ],
    [
      'wrong ARN service for cluster',
      { environments: { a: minimalEnvironment({ cluster: 'arn:aws:sqs:us-east-1:123456789012:q' }) } },
      'environments.a.cluster: must be a name or an ARN of service "ecs"',
    ],
    [
      'empty entrypoints',
      { environments: { a: minimalEnvironment({ entrypoints: [] }) } },
      'environments.a.entrypoints: must list at least one entrypoint',
    ],
    [
      'bad tag suffix',
      {
        environments: {
          a: minimalEnvironment({ entrypoints: [{ name: 'wsgi', tagSuffix: 'wsgi', dockerEntrypoint: 'e.sh' }] }),
        },
      },
      'environments.a.entrypoints.0.tagSuffix: must start with "-" followed by tag characters',
    ],
    [
      'bad subnet id',
      {
        environments: {
          a: minimalEnvironment({
            deploymentTasks: { deployment: { taskDefinition: 'd', network: { ...network, subnets: ['private-a'] } } },
          }),
        },
      },
      'environments.a.deploymentTasks.deployment.network.subnets.0: must be a subnet id',
    ],
    [
      'no security group',
      {
        environments: {
          a: minimalEnvironment({
            deploymentTasks: { deployment: { taskDefinition: 'd', network: { ...network, securityGroups: [] } } },
          }),
        },
      },
      'environments.a.deploymentTasks.deployment.network.securityGroups: must list at least one security group',
    ],
    [
      'bad principal',
      { environments: { a: minimalEnvironment({ access: { deploy: ['*'] } }) } },
      'environments.a.access.deploy.0: must be an IAM role or user ARN, or an STS assumed-role ARN (* allowed in the name)',
    ],
    [
      'zero messages per task',
      {
        environments: {
          a: minimalEnvironment({
            queues: { q: { queue: 'q', service: 'wsgi', minTasks: 0, maxTasks: 1, messagesPerTask: 0 } },
          }),
        },
      },
      'environments.a.queues.q.messagesPerTask: Too small: expected number to be >=1',
    ],
    [
      'fractional count',
      { environments: { a: minimalEnvironment({ services: { wsgi: { service: 's', desiredCount: 1.5 } } }) } },
      'environments.a.services.wsgi.desiredCount: Invalid input: expected int, received number',
    ],
    [
      'unknown rollout order',
      { environments: { a: minimalEnvironment({ rollout: { order: 'random' } }) } },
      'environments.a.rollout.order: Invalid option: expected one of "services-first"|"deployment-first"',
    ],
  ])('rejects %s', (_name, document, problem) => {
    expect(problemsOf(document)).toEqual([problem]);
  });

  describe('cross-field rules', () => {
    const task = { taskDefinition: 'app-deployment', network };

    it.each([
      [
        'a queue for an unknown service',
        { queues: { q: { queue: 'q', service: 'ingester', minTasks: 0, maxTasks: 1 } } },
        'environments.a.queues.q.service: unknown service "ingester"',
      ],
      [
        'two queues scaling one service',
        {
          queues: {
            q1: { queue: 'q1', service: 'wsgi', minTasks: 0, maxTasks: 1 },
            q2: { queue: 'q2', service: 'wsgi', minTasks: 0, maxTasks: 1 },
          },
        },
        'environments.a.queues.q2.service: service "wsgi" is already scaled by queue "q1"; one autoscaler per service',
      ],
      [
        'a service with an unknown entrypoint',
        { services: { web: { service: 's', desiredCount: 1 } } },
        'environments.a.services.web.entrypoint: unknown entrypoint "web" (known: wsgi, indexer, ingester, deployment)',
      ],
      [
        'a task with an unknown entrypoint',
        { deploymentTasks: { deployment: { ...task, entrypoint: 'migrate' } } },
        'environments.a.deploymentTasks.deployment.entrypoint: unknown entrypoint "migrate"',
      ],
      [
        'both launch type and capacity providers on a service',
        {
          services: {
            wsgi: {
              service: 's',
              desiredCount: 1,
              launchType: 'FARGATE',
              capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }],
            },
          },
        },
        'environments.a.services.wsgi.capacityProviderStrategy: must not be set together with launchType',
      ],
      [
        'both launch type and capacity providers on a task',
        {
          deploymentTasks: {
            deployment: { ...task, launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] },
          },
        },
        'environments.a.deploymentTasks.deployment.capacityProviderStrategy: must not be set together with launchType',
      ],
      [
        'a duplicated entrypoint',
        {
          entrypoints: [
            { name: 'wsgi', tagSuffix: '-a', dockerEntrypoint: 'a.sh' },
            { name: 'wsgi', tagSuffix: '-b', dockerEntrypoint: 'b.sh' },
          ],
        },
        'environments.a.entrypoints: entrypoint "wsgi" is listed more than once',
      ],
      [
        'a duplicated tag suffix',
        {
          entrypoints: [
            { name: 'wsgi', tagSuffix: '-a', dockerEntrypoint: 'a.sh' },
            { name: 'indexer', tagSuffix: '-a', dockerEntrypoint: 'b.sh' },
          ],
        },
        'environments.a.entrypoints: tag suffix "-a" is used by more than one entrypoint',
      ],
      [
        'a rollout of an unknown service',
        { rollout: { services: ['wsgi', 'api'] } },
        'environments.a.rollout.services.1: unknown service "api"',
      ],
      [
        'a service rolled twice',
        { rollout: { services: ['wsgi', 'wsgi'] } },
        'environments.a.rollout.services: service "wsgi" is listed more than once',
      ],
      [
        'an unknown rollout task',
        { rollout: { deploymentTask: 'migrate' } },
        'environments.a.rollout.deploymentTask: unknown deployment task "migrate"',
      ],
      [
        'a destructive rollout task',
        { deploymentTasks: { initial: { ...task, destructive: true } }, rollout: { deploymentTask: 'initial' } },
        'environments.a.rollout.deploymentTask: must not be a destructive task: destructive tasks run only from the API with confirmation',
      ],
      [
        'a periodic re-run without a task',
        { rollout: { rerunDeploymentEveryDays: 80 } },
        'environments.a.rollout.rerunDeploymentEveryDays: needs rollout.deploymentTask',
      ],
    ])('rejects %s', (_name, overrides, problem) => {
      expect(problemsOf({ environments: { a: minimalEnvironment(overrides) } })).toEqual([problem]);
    });

    it('rejects a source pattern that matches derived tags, naming each entrypoint it would loop on', () => {
      const problems = problemsOf({
        environments: { a: minimalEnvironment({ sourceTagPattern: '^\\d+\\.\\d+\\.\\d+' }) },
      });
      expect(problems).toEqual(
        ['wsgi', 'indexer', 'ingester', 'deployment'].map(
          (name, index) =>
            `environments.a.entrypoints.${index}.tagSuffix: derived tag "1.0.0-${name}" matches sourceTagPattern, so a build's own push would start another build`,
        ),
      );
    });

    it('reports several rule violations of one environment together', () => {
      const problems = problemsOf({
        environments: {
          a: minimalEnvironment({
            queues: { q: { queue: 'q', service: 'nope', minTasks: 5, maxTasks: 1 } },
            rollout: { services: ['ghost'] },
          }),
        },
      });
      expect(problems).toEqual([
        'environments.a.queues.q.maxTasks: must be >= minTasks',
        'environments.a.queues.q.service: unknown service "nope"',
        'environments.a.rollout.services.0: unknown service "ghost"',
      ]);
    });
  });

  describe('loadConductorConfig (cold start)', () => {
    it('fails clearly when the config is missing', () => {
      expect(() => loadConductorConfig('')).toThrow(/CONDUCTOR_CONFIG is not set/);
    });

    it('fails clearly on malformed JSON', () => {
      expect(() => loadConductorConfig('{"environments":')).toThrow(/CONDUCTOR_CONFIG is not valid JSON/);
    });

    it('lists the problems in the error message', () => {
      const json = JSON.stringify({ environments: { a: minimalEnvironment({ cluster: '' }) } });
      expect(() => loadConductorConfig(json)).toThrow(
        'invalid conductor configuration:\n  environments.a.cluster: must not be empty',
      );
    });
  });
});
