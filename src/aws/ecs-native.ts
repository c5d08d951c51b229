import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type ECSClient,
  type LoadBalancer,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { HookTargets } from '../config/runtime.js';
import type { ObservedServiceDeployment } from '../domain/native-deployment.js';
import { APPROVAL_PAUSE_STAGE, hookStages, type NativeStrategy } from '../domain/native-strategy.js';
import type { PauseAction } from '../domain/approval.js';
import type { ServiceState } from '../domain/ecs-state.js';
import type { NativeDeploymentRequest, NativeDeploymentStart } from '../use-cases/ports.js';
import { callAws } from './errors.js';

/** DescribeServiceDeployments takes at most 20 ARNs per call. */
const DEPLOYMENTS_PER_DESCRIBE = 20;

/** The deployment configuration of a native strategy: ECS runs the stages, the conductor's hook answers. */
export function nativeDeploymentConfiguration(
  strategy: NativeStrategy,
  hooks: HookTargets,
  alarmNames: string[],
  approvalPause?: NativeDeploymentRequest['approvalPause'],
): DeploymentConfiguration {
  const stages = hookStages(strategy);
  const lambda: DeploymentLifecycleHook[] =
    stages.length === 0
      ? []
      : [
          {
            targetType: 'AWS_LAMBDA',
            hookTargetArn: hooks.functionArn,
            roleArn: hooks.roleArn,
            lifecycleStages: stages,
          },
        ];
  // ECS waits for ContinueServiceDeployment here; with no answer in time it rolls back.
  const pause: DeploymentLifecycleHook[] = approvalPause
    ? [
        {
          targetType: 'PAUSE',
          lifecycleStages: [APPROVAL_PAUSE_STAGE],
          timeoutConfiguration: { timeoutInMinutes: approvalPause.timeoutMinutes, action: 'ROLLBACK' },
        },
      ]
    : [];
  return {
    strategy: strategy.type,
    bakeTimeInMinutes: strategy.bakeTimeInMinutes,
    ...(strategy.canary
      ? {
          canaryConfiguration: {
            canaryPercent: strategy.canary.percent,
            canaryBakeTimeInMinutes: strategy.canary.bakeTimeInMinutes,
          },
        }
      : {}),
    ...(strategy.linear
      ? {
          linearConfiguration: {
            stepPercent: strategy.linear.stepPercent,
            stepBakeTimeInMinutes: strategy.linear.stepBakeTimeInMinutes,
          },
        }
      : {}),
    lifecycleHooks: [...lambda, ...pause],
    ...(alarmNames.length > 0 ? { alarms: { alarmNames, enable: true, rollback: true } } : {}),
  };
}

/** The service's load balancers, each given the strategy's alternate target group, listener rules and role. */
export function withAdvancedConfiguration(loadBalancers: LoadBalancer[], strategy: NativeStrategy): LoadBalancer[] {
  return loadBalancers.map((loadBalancer) => ({
    ...loadBalancer,
    advancedConfiguration: {
      alternateTargetGroupArn: strategy.alternateTargetGroupArn,
      productionListenerRule: strategy.productionListenerRule,
      ...(strategy.testListenerRule ? { testListenerRule: strategy.testListenerRule } : {}),
      roleArn: strategy.roleArn,
    },
  }));
}

function toObserved(deployment: ServiceDeployment): ObservedServiceDeployment {
  return {
    arn: deployment.serviceDeploymentArn ?? '',
    status: deployment.status ?? '',
    statusReason: deployment.statusReason,
    lifecycleStage: deployment.lifecycleStage,
    rollbackReason: deployment.rollback?.reason,
    pauses: (deployment.lifecycleHookDetails ?? [])
      .filter((hook) => hook.targetType === 'PAUSE' && hook.hookId)
      .map((hook) => ({
        hookId: hook.hookId ?? '',
        status: hook.status ?? '',
        expiresAt: hook.expiresAt?.toISOString(),
        timeoutAction: hook.timeoutAction,
      })),
  };
}

/** The native-deployment calls of the ECS adapter (ecs.ts composes them), every failure an AwsCallError. */
export function nativeDeploymentCalls(
  client: ECSClient,
  hooks: () => HookTargets,
  toServiceState: (service: Service) => ServiceState,
) {
  /**
   * UpdateService with the strategy: the load balancers as the service has them, each with its
   * advanced configuration; forced, so that a revision the service already names still deploys.
   */
  async function startNativeDeployment(request: NativeDeploymentRequest): Promise<NativeDeploymentStart> {
    const { cluster, service, strategy } = request;
    const target = `service ${service} in cluster ${cluster}`;
    const described = await callAws('ecs:DescribeServices', target, () =>
      client.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    const loadBalancers = described.services?.[0]?.loadBalancers ?? [];
    const updated = await callAws('ecs:UpdateService', target, () =>
      client.send(
        new UpdateServiceCommand({
          cluster,
          service,
          taskDefinition: request.taskDefinitionArn,
          forceNewDeployment: true,
          deploymentConfiguration: nativeDeploymentConfiguration(
            strategy,
            hooks(),
            request.alarmNames,
            request.approvalPause,
          ),
          ...(loadBalancers.length > 0 ? { loadBalancers: withAdvancedConfiguration(loadBalancers, strategy) } : {}),
        }),
      ),
    );
    const state = toServiceState(updated.service ?? {});
    const serviceDeploymentArn = updated.service?.currentServiceDeployment;
    if (!serviceDeploymentArn) throw new Error(`ECS named no service deployment for ${target}`);
    const primary = state.deployments.find((deployment) => deployment.status === 'PRIMARY') ?? state.deployments[0];
    return { serviceDeploymentArn, deploymentId: primary?.id, service: state };
  }

  async function describeServiceDeployments(arns: string[]): Promise<ObservedServiceDeployment[]> {
    const batches = await Promise.all(
      Array.from({ length: Math.ceil(arns.length / DEPLOYMENTS_PER_DESCRIBE) }, (_, index) =>
        arns.slice(index * DEPLOYMENTS_PER_DESCRIBE, (index + 1) * DEPLOYMENTS_PER_DESCRIBE),
      ).map((batch) =>
        callAws('ecs:DescribeServiceDeployments', `${batch.length} service deployments`, () =>
          client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch })),
        ),
      ),
    );
    return batches.flatMap((batch) => (batch.serviceDeployments ?? []).map(toObserved));
  }

  /** Stops the deployment and rolls the service back to what ran before (ECS's stopType ROLLBACK). */
  async function stopServiceDeployment(arn: string): Promise<void> {
    await callAws('ecs:StopServiceDeployment', `service deployment ${arn}`, () =>
      client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    );
  }

  /** Answers the deployment's paused hook: CONTINUE goes on to production traffic, ROLLBACK rolls back. */
  async function continueServiceDeployment(arn: string, hookId: string, action: PauseAction): Promise<void> {
    await callAws('ecs:ContinueServiceDeployment', `service deployment ${arn}`, () =>
      client.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action })),
    );
  }

  return { startNativeDeployment, describeServiceDeployments, stopServiceDeployment, continueServiceDeployment };
}
