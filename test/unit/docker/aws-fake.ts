import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Sandbox } from './sandbox.js';

/**
 * A fake of the AWS calls the entrypoints make, speaking the services' JSON protocols as
 * docker/lib/sigv4.py does (the sandbox forces that client: the test machine's python may or may not
 * have boto3). Secrets Manager answers with $SANDBOX/secret.json; SQS is a directory of message files
 * ($SANDBOX/queue), each received once. Calls are journaled as `aws get-secret-value <id>`,
 * `aws receive`, `aws delete <receipt handle>` and `aws visibility <receipt handle> <seconds>`.
 * A request without a SigV4 Authorization for its service is refused, as AWS would.
 */
const EMPTY_POLL_MS = 200;
const QUEUE_URL_PREFIX = 'https://sqs.us-east-1.amazonaws.com/123456789012/';

type Params = Record<string, unknown>;
type Answer = { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

const ok = (body: unknown = {}) => ({ status: 200, body });
const error = (status: number, type: string, message: string) => ({ status, body: { __type: type, message } });

function secretsManager(sandbox: Sandbox, operation: string, params: Params): Answer {
  if (operation !== 'GetSecretValue') return error(400, 'UnknownOperationException', operation);
  sandbox.record(`aws get-secret-value ${String(params.SecretId)}`);
  const file = join(sandbox.dir, 'secret.json');
  if (!existsSync(file))
    return error(400, 'ResourceNotFoundException', `Secrets Manager can't find ${String(params.SecretId)}`);
  return ok({ Name: params.SecretId, SecretString: readFileSync(file, 'utf8') });
}

async function sqs(sandbox: Sandbox, operation: string, params: Params): Promise<{ status: number; body: unknown }> {
  switch (operation) {
    case 'ReceiveMessage': {
      sandbox.record('aws receive');
      const queue = join(sandbox.dir, 'queue');
      const next = readdirSync(queue).sort()[0];
      // An empty long poll: SQS waits, then answers with no message.
      if (next === undefined) {
        return new Promise((done) => {
          setTimeout(() => {
            done(ok());
          }, EMPTY_POLL_MS);
        });
      }
      renameSync(join(queue, next), join(sandbox.dir, `received-${next}`));
      return ok({ Messages: [JSON.parse(readFileSync(join(sandbox.dir, `received-${next}`), 'utf8'))] });
    }
    case 'DeleteMessage':
      sandbox.record(`aws delete ${String(params.ReceiptHandle)}`);
      return ok();
    case 'ChangeMessageVisibility':
      sandbox.record(`aws visibility ${String(params.ReceiptHandle)} ${String(params.VisibilityTimeout)}`);
      return ok();
    case 'GetQueueUrl':
      return ok({ QueueUrl: `${QUEUE_URL_PREFIX}${String(params.QueueName)}` });
    default:
      return error(400, 'UnsupportedOperation', operation);
  }
}

const SERVICES: Record<string, { signingName: string; answer: (s: Sandbox, op: string, p: Params) => Answer }> = {
  secretsmanager: { signingName: 'secretsmanager', answer: secretsManager },
  AmazonSQS: { signingName: 'sqs', answer: sqs },
};

function reply(response: ServerResponse, { status, body }: { status: number; body: unknown }): void {
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
}

/** Starts the fake and points every entrypoint of the sandbox at it, with static test credentials. */
export async function fakeAws(sandbox: Sandbox): Promise<void> {
  mkdirSync(join(sandbox.dir, 'queue'), { recursive: true });
  const endpoint = await sandbox.listen((request, body, response) => {
    const [prefix = '', operation = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
    const service = SERVICES[prefix];
    const authorization = request.headers.authorization ?? '';
    if (!service) {
      reply(response, error(400, 'UnknownService', prefix));
    } else if (!authorization.includes(`/us-east-1/${service.signingName}/aws4_request, SignedHeaders=`)) {
      reply(response, error(403, 'IncompleteSignatureException', 'missing or wrong SigV4 Authorization'));
    } else {
      void Promise.resolve(service.answer(sandbox, operation, JSON.parse(body) as Params)).then((answer) => {
        reply(response, answer);
      });
    }
  });
  Object.assign(sandbox.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    CONDUCTOR_AWS_CLIENT: 'stdlib',
  });
}

/** Queues a message the way SQS returns it; messages are received in the order of their ids. */
export function enqueue(sandbox: Sandbox, id: string, body: unknown): void {
  const message = {
    MessageId: id,
    ReceiptHandle: `rh-${id}`,
    Body: JSON.stringify(body),
    Attributes: { ApproximateReceiveCount: '1' },
  };
  writeFileSync(join(sandbox.dir, 'queue', id), JSON.stringify(message));
}

export function storeSecret(sandbox: Sandbox, secret: Record<string, unknown>): void {
  sandbox.file('secret.json', JSON.stringify(secret));
}
