import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  CodeBuildClient,
  StartBuildCommand,
  type Build,
  type BuildPhase,
} from '@aws-sdk/client-codebuild';
import type { BuildProjectSource } from '../domain/build-recipe.js';
import type { BuildDetails, StartBuildRequest } from '../use-cases/ports.js';
import { clientConfig } from './client-config.js';
import { callAws } from './errors.js';

export interface BuildPhaseState {
  /** SUBMITTED, QUEUED, PROVISIONING, DOWNLOAD_SOURCE, INSTALL, PRE_BUILD, BUILD, POST_BUILD, ... COMPLETED. */
  type: string;
  /** SUCCEEDED, FAILED, FAULT, TIMED_OUT, IN_PROGRESS or STOPPED; absent while a phase has no outcome yet. */
  status?: string;
  startTime?: Date;
  endTime?: Date;
  durationSeconds?: number;
  /** CodeBuild's explanations, e.g. why the phase failed. */
  messages: string[];
}

export interface BuildState {
  id: string;
  /** IN_PROGRESS, SUCCEEDED, FAILED, FAULT, TIMED_OUT or STOPPED. */
  status: string;
  currentPhase: string;
  phases: BuildPhaseState[];
  logsDeepLink?: string;
}

/** BatchGetBuilds accepts at most this many ids per call. */
const BUILDS_PER_BATCH = 100;

// Marked pure so that a bundle whose handler never uses this adapter leaves out the client and its SDK
// package; a handler that uses it still creates the client once, at module scope.
const defaultCodeBuildClient = /* @__PURE__ */ new CodeBuildClient(clientConfig);

/** CodeBuild operations the conductor needs, in domain shapes; every failure is an AwsCallError. */
export function createCodeBuildAdapter(client: CodeBuildClient = defaultCodeBuildClient) {
  /** Starts a build with plain-text environment variables and returns its id; retries with the same token start no second build. */
  async function startBuild(request: StartBuildRequest): Promise<string> {
    const response = await callAws('codebuild:StartBuild', `project ${request.project}`, () =>
      client.send(
        new StartBuildCommand({
          projectName: request.project,
          idempotencyToken: request.idempotencyToken,
          sourceVersion: request.sourceVersion,
          environmentVariablesOverride: Object.entries(request.environmentVariables).map(([name, value]) => ({
            name,
            value,
            type: 'PLAINTEXT',
          })),
        }),
      ),
    );
    return response.build?.id ?? '';
  }

  /** Describes builds by id (100 per call); ids CodeBuild does not know are left out. */
  async function batchGetBuilds(ids: string[]): Promise<BuildState[]> {
    const batches = [];
    for (let start = 0; start < ids.length; start += BUILDS_PER_BATCH) {
      const batch = ids.slice(start, start + BUILDS_PER_BATCH);
      batches.push(
        callAws('codebuild:BatchGetBuilds', `builds ${batch.join(', ')}`, () =>
          client.send(new BatchGetBuildsCommand({ ids: batch })),
        ),
      );
    }
    return (await Promise.all(batches)).flatMap((response) => (response.builds ?? []).map(toBuildState));
  }

  /** What the core needs of builds: status, the first phase that did not succeed, the log link. */
  async function describeBuilds(ids: string[]): Promise<Map<string, BuildDetails>> {
    const builds = ids.length === 0 ? [] : await batchGetBuilds(ids);
    return new Map(builds.map((build) => [build.id, detailsOf(build)]));
  }

  /** The project's source type and buildspec, as the conductor checks them before building. */
  async function describeProject(project: string): Promise<BuildProjectSource | undefined> {
    const response = await callAws('codebuild:BatchGetProjects', `project ${project}`, () =>
      client.send(new BatchGetProjectsCommand({ names: [project] })),
    );
    const [found] = response.projects ?? [];
    if (!found) return undefined;
    return {
      name: found.name ?? project,
      sourceType: found.source?.type ?? '',
      buildspec: found.source?.buildspec ?? '',
    };
  }

  return { startBuild, batchGetBuilds, describeBuilds, describeProject };
}

export type CodeBuildAdapter = ReturnType<typeof createCodeBuildAdapter>;

/** The adapter over the module's shared client (the endpoint comes from AWS_ENDPOINT_URL when set). */
export const codebuild = /* @__PURE__ */ createCodeBuildAdapter();

function detailsOf(build: BuildState): BuildDetails {
  const failed = build.phases.find((phase) => phase.status !== undefined && phase.status !== 'SUCCEEDED');
  return { status: build.status, failedPhase: failed?.type, logsDeepLink: build.logsDeepLink };
}

/**
 * The CloudWatch Logs console link of a build's log stream, in the build's own region (from its ARN).
 * Built from the group and stream, never taken from `logs.deepLink`, which can read
 * `group=null;stream=null`; without them, CodeBuild's defaults: group `/aws/codebuild/<project>`,
 * stream the build id's uuid.
 */
export function buildLogLink(build: Build): string | undefined {
  const region = build.arn?.split(':')[3];
  const [project, uuid] = (build.id ?? '').split(':');
  const group = build.logs?.groupName ?? (project ? `/aws/codebuild/${project}` : undefined);
  const stream = build.logs?.streamName ?? uuid;
  if (!region || !group || !stream) return undefined;
  const encode = (name: string) => encodeURIComponent(name).replaceAll('%', '$25');
  return (
    `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}` +
    `#logsV2:log-groups/log-group/${encode(group)}/log-events/${encode(stream)}`
  );
}

function toBuildState(build: Build): BuildState {
  const logsDeepLink = buildLogLink(build);
  return {
    id: build.id ?? '',
    status: build.buildStatus ?? '',
    currentPhase: build.currentPhase ?? '',
    phases: (build.phases ?? []).map(toPhaseState),
    ...(logsDeepLink ? { logsDeepLink } : {}),
  };
}

function toPhaseState(phase: BuildPhase): BuildPhaseState {
  return {
    type: phase.phaseType ?? '',
    status: phase.phaseStatus,
    startTime: phase.startTime,
    endTime: phase.endTime,
    durationSeconds: phase.durationInSeconds,
    messages: (phase.contexts ?? []).flatMap((context) => (context.message ? [context.message] : [])),
  };
}
