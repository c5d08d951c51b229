import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from './sandbox.js';

/**
 * A stub `aws` CLI for the entrypoints: Secrets Manager answers with $SANDBOX/secret.json, and SQS
 * is a directory of message files ($SANDBOX/queue), each received once. SQS calls are journaled as
 * `aws receive`, `aws delete <receipt handle>` and `aws visibility <receipt handle> <seconds>`.
 */
const AWS_STUB = String.raw`
service="$1" operation="$2"; shift 2
[ -n "$STUB_EMPTY_POLL_SECONDS" ] || STUB_EMPTY_POLL_SECONDS=0.2
while [ $# -gt 0 ]; do
  case "$1" in
    --receipt-handle) handle="$2"; shift ;;
    --visibility-timeout) visibility="$2"; shift ;;
    --secret-id) secret="$2"; shift ;;
  esac
  shift
done
case "$service $operation" in
  "secretsmanager get-secret-value")
    journal "aws get-secret-value $secret"
    [ -f "$SANDBOX/secret.json" ] || { echo "ResourceNotFoundException: $secret" >&2; exit 254; }
    cat "$SANDBOX/secret.json" ;;
  "sqs receive-message")
    journal "aws receive"
    next="$(ls "$SANDBOX/queue" 2>/dev/null | sort | head -n 1)"
    # An empty long poll: SQS waits, then answers with no message (the CLI prints nothing).
    if [ -z "$next" ]; then sleep "$STUB_EMPTY_POLL_SECONDS"; exit 0; fi
    mv "$SANDBOX/queue/$next" "$SANDBOX/received-$next"
    printf '{"Messages": [%s]}\n' "$(cat "$SANDBOX/received-$next")" ;;
  "sqs delete-message") journal "aws delete $handle" ;;
  "sqs change-message-visibility") journal "aws visibility $handle $visibility" ;;
  "sqs get-queue-url") echo "https://sqs.us-east-1.amazonaws.com/123456789012/queue" ;;
  *) echo "aws stub: unexpected $service $operation" >&2; exit 2 ;;
esac
`;

export function stubAws(sandbox: Sandbox): void {
  sandbox.stub('aws', AWS_STUB);
  mkdirSync(join(sandbox.dir, 'queue'), { recursive: true });
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
