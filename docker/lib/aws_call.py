"""The AWS calls the entrypoints make, without the AWS CLI: through boto3 when this python has it,
else through sigv4.py (standard library only). CONDUCTOR_AWS_CLIENT=boto3|stdlib forces one.

  aws_call.py queue-url QUEUE_NAME                   prints the queue's URL
  aws_call.py receive QUEUE_URL WAIT_SECONDS BODY_FILE
      long-polls for one message; writes its body to BODY_FILE (0600) and prints its id, receipt
      handle and receive count, one a line; prints nothing when no message came
  aws_call.py delete QUEUE_URL RECEIPT_HANDLE
  aws_call.py visibility QUEUE_URL RECEIPT_HANDLE SECONDS

Exits 1 with the service's error on stderr, 2 on bad usage. load_config.py reads secrets through
call(). Python 3.6+.
"""

import os
import re
import sys

import sigv4

# service -> (boto3 name, JSON target prefix, JSON version, endpoint variable suffix)
SERVICES = {
    "secretsmanager": ("secretsmanager", "secretsmanager", "1.1", "SECRETS_MANAGER"),
    "sqs": ("sqs", "AmazonSQS", "1.0", "SQS"),
}


def _boto3():
    choice = os.environ.get("CONDUCTOR_AWS_CLIENT", "")
    if choice == "stdlib":
        return None
    try:
        import boto3
        return boto3
    except ImportError:
        if choice == "boto3":
            raise sigv4.AwsError("CONDUCTOR_AWS_CLIENT=boto3 but %s cannot import boto3" % sys.executable)
        return None


def call(service, operation, params, timeout=30):
    """One call, answered in the service's JSON shape (the same keys through boto3 or sigv4)."""
    boto3_name, prefix, version, endpoint_env = SERVICES[service]
    boto3 = _boto3()
    if boto3 is None:
        return sigv4.call(service, "%s.%s" % (prefix, operation), version, endpoint_env, params, timeout)
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
    # Older boto3 (Debian 12 has 1.26) does not read these variables itself.
    endpoint = os.environ.get("AWS_ENDPOINT_URL_" + endpoint_env) or os.environ.get("AWS_ENDPOINT_URL") or None
    where = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    client = boto3.client(boto3_name, region_name=where, endpoint_url=endpoint,
                          config=Config(read_timeout=timeout, retries={"max_attempts": 3}))
    method = getattr(client, re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower())
    try:
        return method(**params)
    except ClientError as error:
        details = error.response.get("Error", {})
        raise sigv4.AwsError("%s: %s" % (details.get("Code"), details.get("Message")))
    except BotoCoreError as error:
        raise sigv4.AwsError(str(error))


def queue_url(name):
    print(call("sqs", "GetQueueUrl", {"QueueName": name})["QueueUrl"])


def receive(url, wait_seconds, body_file):
    answer = call("sqs", "ReceiveMessage", {
        "QueueUrl": url, "MaxNumberOfMessages": 1, "WaitTimeSeconds": int(wait_seconds),
        "AttributeNames": ["ApproximateReceiveCount"],
    }, timeout=int(wait_seconds) + 20)
    messages = answer.get("Messages") or []
    if not messages:
        return
    message = messages[0]
    descriptor = os.open(body_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as target:
        target.write(message.get("Body", ""))
    print(message["MessageId"])
    print(message["ReceiptHandle"])
    print((message.get("Attributes") or {}).get("ApproximateReceiveCount", ""))


def delete(url, handle):
    call("sqs", "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": handle})


def visibility(url, handle, seconds):
    call("sqs", "ChangeMessageVisibility", {"QueueUrl": url, "ReceiptHandle": handle, "VisibilityTimeout": int(seconds)})


COMMANDS = {"queue-url": (queue_url, 1), "receive": (receive, 3), "delete": (delete, 2), "visibility": (visibility, 3)}


def main(argv):
    command, arguments = (argv[0] if argv else ""), argv[1:]
    if command not in COMMANDS or len(arguments) != COMMANDS[command][1]:
        sys.stderr.write("usage: aws_call.py %s\n" % " | ".join(sorted(COMMANDS)))
        return 2
    try:
        COMMANDS[command][0](*arguments)
    except sigv4.AwsError as error:
        sys.stderr.write("aws_call %s: %s\n" % (command, error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
