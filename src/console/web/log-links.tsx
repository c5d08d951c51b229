import { useSession } from './session-context.js';

/**
 * Links to a build's or a deployment task's logs in the AWS console. Only against a deployed API
 * (SigV4): local mode's build ids, task ARNs and log links name nothing in AWS, and its emulated
 * builds write no log.
 */

const TASK_ARN = /^arn:aws[\w-]*:ecs:([a-z0-9-]+):\d+:task\/([\w-]+)\/(\w+)$/;
const BUILD_ID = /^[\w-]+:[\w-]+$/;

/** The region logs are in, or undefined when the console does not talk to AWS. */
export function useLogsRegion(): string | undefined {
  const { api } = useSession();
  return api.auth === 'sigv4' ? api.region : undefined;
}

/** A CodeBuild build's log (`project:uuid`), or a deployment task's logs (its ARN names its region). */
export function logsUrl(detail: string, region: string): string | undefined {
  const task = TASK_ARN.exec(detail);
  if (task) {
    const [, taskRegion = region, cluster = '', id = ''] = task;
    return `https://console.aws.amazon.com/ecs/v2/clusters/${cluster}/tasks/${id}/logs?region=${taskRegion}`;
  }
  if (!BUILD_ID.test(detail)) return undefined;
  const project = detail.slice(0, detail.indexOf(':'));
  return `https://console.aws.amazon.com/codesuite/codebuild/projects/${project}/build/${encodeURIComponent(detail)}/log?region=${region}`;
}

/** ` logs`, opening the AWS console in a new tab. */
function LogsAnchor({ url }: { url: string }) {
  return (
    <>
      {' '}
      <a href={url} target="_blank" rel="noreferrer" class="logs">
        logs
      </a>
    </>
  );
}

/** `logs` after a detail that names a build or a task, when there is a console to link to. */
export function LogsLink({ detail }: { detail: string | undefined }) {
  const region = useLogsRegion();
  const url = detail && region ? logsUrl(detail, region) : undefined;
  return url ? <LogsAnchor url={url} /> : null;
}

/** The log link a failure recorded (CodeBuild's log in CloudWatch); in local mode, that there is none. */
export function FailureLogLink({ link }: { link: string | undefined }) {
  const region = useLogsRegion();
  if (!link) return null;
  return region ? (
    <LogsAnchor url={link} />
  ) : (
    <span class="muted small"> (no log: local mode emulates its builds)</span>
  );
}
