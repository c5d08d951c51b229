import { describe, expect, it } from 'vitest';
import { parseConductorConfig } from '../../../src/config/load.js';
import { functionPolicyStatements } from '../../../src/packaging/iam-policies.js';
import { BLUE_GREEN } from '../../support/native-strategy.js';

const { smokeCheck, ...strategy } = BLUE_GREEN;
/** A production environment with a blue/green wsgi and a rolling indexer, and `gates` if given. */
const configWith = (gates?: object) =>
  parseConductorConfig({
    environments: {
      prod: {
        repository: 'app',
        image: { shape: 'single-image' },
        cluster: 'prod',
        services: {
          wsgi: { service: 'prod-wsgi', desiredCount: 2, strategy: { ...strategy, smokeCheck } },
          indexer: { service: 'prod-indexer', desiredCount: 1 },
        },
        ...(gates ? { gates } : {}),
      },
    },
  });
const config = configWith();

describe('IAM for native deployments', () => {
  it('lets the rolling functions follow and stop only the native services’ deployments', () => {
    const follow = functionPolicyStatements('reconcile', config).find((s) => s.Sid === 'FollowNativeDeployments');
    expect(follow).toEqual({
      Sid: 'FollowNativeDeployments',
      Effect: 'Allow',
      Action: ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'],
      Resource: [
        { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service-deployment/prod/prod-wsgi/*' },
      ],
    });
  });

  it('passes ECS the hook-invoke role and the load balancer role, and only to ECS', () => {
    const pass = functionPolicyStatements('api', config).find((s) => s.Sid === 'PassNativeDeploymentRoles');
    expect(pass).toEqual({
      Sid: 'PassNativeDeploymentRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [{ 'Fn::Sub': '${DeploymentHookInvokeRole.Arn}' }, BLUE_GREEN.roleArn],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } },
    });
  });

  it('lets the API continue only paused native deployments of environments approving there, and abort any', () => {
    const approving = configWith({
      approval: { at: 'before-production-traffic', approve: ['arn:aws:iam::123456789012:role/ops'] },
    });
    const deployments = (service: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service-deployment/prod/${service}/*`,
    });
    const api = functionPolicyStatements('api', approving);
    expect(api.find((s) => s.Sid === 'ContinuePausedDeployments')).toMatchObject({
      Action: ['ecs:ContinueServiceDeployment'],
      Resource: [deployments('prod-wsgi')],
    });
    expect(api.find((s) => s.Sid === 'AbortServiceDeployments')).toMatchObject({
      Action: ['ecs:StopServiceDeployment'],
      Resource: [deployments('prod-wsgi'), deployments('prod-indexer')],
    });
    // Approving before the rollout: nothing to continue, so no statement (an empty Resource is dropped).
    expect(functionPolicyStatements('api', config).map((s) => s.Sid)).not.toContain('ContinuePausedDeployments');
    // Only the API answers: the event functions never continue nor abort.
    expect(functionPolicyStatements('reconcile', approving).map((s) => s.Sid)).not.toContain(
      'ContinuePausedDeployments',
    );
  });

  it('gives the hook function the state table and nothing that changes AWS', () => {
    expect(functionPolicyStatements('deploymentHook', config).map((s) => s.Sid)).toEqual(['ConductorState']);
  });
});
