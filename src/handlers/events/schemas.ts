import * as z from 'zod';

/** EventBridge envelope with a typed `detail` (EventBridge delivers `detail` already parsed). */
export const eventBridgeEvent = <D extends z.ZodType>(detailType: string, detail: D) =>
  z.object({
    id: z.string().min(1),
    'detail-type': z.literal(detailType),
    source: z.string().min(1),
    account: z.string(),
    time: z.string(),
    region: z.string(),
    resources: z.array(z.string()),
    detail,
  });

/** `ECR Image Action`, as the ECR user guide documents it; `image-tag` is absent for untagged manifests. */
export const ecrImageActionEvent = eventBridgeEvent(
  'ECR Image Action',
  z.object({
    'action-type': z.enum(['PUSH', 'DELETE']),
    result: z.string(),
    'repository-name': z.string().min(1),
    'image-digest': z.string().regex(/^sha256:[0-9a-f]+$/),
    'image-tag': z.string().optional(),
  }),
);

export const codeBuildStateChangeEvent = eventBridgeEvent(
  'CodeBuild Build State Change',
  z.object({
    'build-status': z.enum(['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED']),
    'project-name': z.string().min(1),
    'build-id': z.string().min(1),
  }),
);

export const ecsTaskStateChangeEvent = eventBridgeEvent(
  'ECS Task State Change',
  z.object({
    taskArn: z.string().min(1),
    clusterArn: z.string().min(1),
    lastStatus: z.string(),
    startedBy: z.string().optional(),
    stopCode: z.string().optional(),
    stoppedReason: z.string().optional(),
    version: z.number().int(),
    containers: z.array(
      z.object({ name: z.string(), exitCode: z.number().int().optional(), reason: z.string().optional() }),
    ),
  }),
);

export const ecsDeploymentStateChangeEvent = eventBridgeEvent(
  'ECS Deployment State Change',
  z.object({
    eventType: z.string(),
    eventName: z.string(),
    deploymentId: z.string().min(1),
    reason: z.string().optional(),
  }),
);
