import { en } from 'zod/locales';
import * as z from 'zod/mini';

/*
 * zod/mini, not zod: the same validation, but a bundle keeps only the checks it uses, so the event
 * functions carry ~20 kB of zod instead of ~90 kB (bench/bundle). Mini loads no messages by itself;
 * the English ones keep a dropped event's log line saying what was wrong, as full zod does.
 */
z.config(en());

const nonEmpty = () => z.string().check(z.minLength(1));

/** EventBridge envelope with a typed `detail` (EventBridge delivers `detail` already parsed). */
export const eventBridgeEvent = <D extends z.ZodMiniType>(detailType: string, detail: D) =>
  z.object({
    id: nonEmpty(),
    'detail-type': z.literal(detailType),
    source: nonEmpty(),
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
    'repository-name': nonEmpty(),
    'image-digest': z.string().check(z.regex(/^sha256:[0-9a-f]+$/)),
    'image-tag': z.optional(z.string()),
  }),
);

/** `ECR Image Scan` (basic scanning): severities without a finding are left out of the counts. */
export const ecrImageScanEvent = eventBridgeEvent(
  'ECR Image Scan',
  z.object({
    'scan-status': nonEmpty(),
    'repository-name': nonEmpty(),
    'image-digest': z.string().check(z.regex(/^sha256:[0-9a-f]+$/)),
    'image-tags': z.optional(z.array(z.string())),
    'finding-severity-counts': z.optional(z.record(z.string(), z.int())),
  }),
);

/**
 * `CloudWatch Alarm State Change` (CloudWatch user guide, "Alarm events and EventBridge"): the alarm's
 * ARN in `resources`; `state.timestamp` (e.g. 2019-10-02T17:04:40.985+0000) is when it entered `state.value`.
 */
export const cloudWatchAlarmStateChangeEvent = eventBridgeEvent(
  'CloudWatch Alarm State Change',
  z.object({
    alarmName: nonEmpty(),
    state: z.object({ value: nonEmpty(), timestamp: nonEmpty(), reason: z.optional(z.string()) }),
    previousState: z.optional(z.object({ value: z.string() })),
  }),
);

/**
 * `Inspector2 Scan` (Amazon Inspector's enhanced scanning of an ECR image): `repository-name` is the
 * repository's ARN, and the counts carry CRITICAL, HIGH, MEDIUM and a TOTAL that is no severity.
 */
export const inspectorScanEvent = eventBridgeEvent(
  'Inspector2 Scan',
  z.object({
    'scan-status': nonEmpty(),
    'repository-name': z.string().check(z.regex(/^arn:aws[a-z-]*:ecr:[^:]*:\d{12}:repository\/.+$/)),
    'image-digest': z.string().check(z.regex(/^sha256:[0-9a-f]+$/)),
    'image-tags': z.optional(z.array(z.string())),
    'finding-severity-counts': z.optional(z.record(z.string(), z.int())),
  }),
);

export const codeBuildStateChangeEvent = eventBridgeEvent(
  'CodeBuild Build State Change',
  z.object({
    'build-status': z.enum(['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED']),
    'project-name': nonEmpty(),
    'build-id': nonEmpty(),
  }),
);

export const ecsTaskStateChangeEvent = eventBridgeEvent(
  'ECS Task State Change',
  z.object({
    taskArn: nonEmpty(),
    clusterArn: nonEmpty(),
    lastStatus: z.string(),
    startedBy: z.optional(z.string()),
    stopCode: z.optional(z.string()),
    stoppedReason: z.optional(z.string()),
    version: z.int(),
    containers: z.array(z.object({ name: z.string(), exitCode: z.optional(z.int()), reason: z.optional(z.string()) })),
  }),
);

export const ecsDeploymentStateChangeEvent = eventBridgeEvent(
  'ECS Deployment State Change',
  z.object({
    eventType: z.string(),
    eventName: z.string(),
    deploymentId: nonEmpty(),
    reason: z.optional(z.string()),
  }),
);

/**
 * `ECS Hook State Change` (a PAUSE hook awaiting action, for one): the conductor only needs to know
 * which service deployment to look at again (DescribeServiceDeployments says the rest). Where ECS puts
 * its ARN is not documented field by field: `detail.serviceDeploymentArn`, else a `resources` entry.
 */
export const ecsHookStateChangeEvent = eventBridgeEvent(
  'ECS Hook State Change',
  z.object({
    eventName: z.optional(z.string()),
    serviceDeploymentArn: z.optional(z.string()),
    hookId: z.optional(z.string()),
  }),
);

/**
 * What ECS sends the lifecycle hook Lambda. The documented fields (serviceArn, targetServiceRevisionArn,
 * the traffic weights) may come at the top level or under `executionDetails`; where ECS puts the
 * `hookDetails` an IN_PROGRESS answer returned is not documented either, so both places are read.
 */
const hookDetails = z.optional(z.object({ attempt: z.optional(z.int().check(z.minimum(1))) }));
const executionDetails = z.object({
  serviceArn: z.optional(nonEmpty()),
  targetServiceRevisionArn: z.optional(z.string()),
  hookDetails,
});
export const deploymentHookPayload = z.object({
  serviceArn: z.optional(nonEmpty()),
  targetServiceRevisionArn: z.optional(z.string()),
  lifecycleStage: z.optional(z.string()),
  executionDetails: z.optional(executionDetails),
  hookDetails,
});
