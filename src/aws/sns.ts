import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { ReleaseNotifier } from '../use-cases/ports.js';
import { clientConfig } from './client-config.js';
import { callAws } from './errors.js';

/** SNS limits subjects to 100 characters on one line. */
const SUBJECT_LIMIT = 100;

// Marked pure so that a bundle whose handler never uses this adapter leaves out the client and its SDK
// package; a handler that uses it still creates the client once, at module scope.
const defaultSnsClient = /* @__PURE__ */ new SNSClient(clientConfig);

/** SNS operations the conductor needs; every failure is an AwsCallError. */
export function createSnsAdapter(client: SNSClient = defaultSnsClient) {
  /**
   * Publishes a message object as JSON and returns SNS's message id. The subject is flattened to one
   * line and cut to SNS's limit rather than failing the notification. Delivery is at least once.
   */
  async function publish(topicArn: string, subject: string, message: object): Promise<string> {
    const response = await callAws('sns:Publish', `topic ${topicArn}`, () =>
      client.send(
        new PublishCommand({ TopicArn: topicArn, Subject: fitSubject(subject), Message: JSON.stringify(message) }),
      ),
    );
    return response.MessageId ?? '';
  }

  return { publish };
}

export type SnsAdapter = ReturnType<typeof createSnsAdapter>;

/**
 * Release notices on the environment's topic, if it has one. A notice that cannot be published is
 * reported to `lost` and never fails the rollout that sent it.
 */
export function createReleaseNotifier(
  publisher: Pick<SnsAdapter, 'publish'>,
  topicOf: (environment: string) => string | undefined,
  lost: (details: Record<string, unknown>) => void,
): ReleaseNotifier {
  return {
    notify: async (release, event, details) => {
      const topic = topicOf(release.environment);
      if (!topic) return;
      const { id: releaseId, environment, version, state, failure } = release;
      const message = {
        event,
        releaseId,
        environment,
        version,
        state,
        ...(failure ? { failure } : {}),
        ...(details ? { details } : {}),
      };
      await publisher.publish(topic, `${environment}: release ${version} ${event}`, message).catch((error: unknown) => {
        lost({ releaseId, event, error });
      });
    },
  };
}

/** The adapter over the module's shared client (the endpoint comes from AWS_ENDPOINT_URL when set). */
export const sns = /* @__PURE__ */ createSnsAdapter();

function fitSubject(subject: string): string {
  return subject.replace(/\s+/g, ' ').trim().slice(0, SUBJECT_LIMIT);
}
