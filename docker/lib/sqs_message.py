"""Splits the output of `aws sqs receive-message --output json` for entrypoint_ingester.sh.

Usage: sqs_message.py RECEIVED_JSON BODY_FILE
Writes the first message's body to BODY_FILE (mode 0600) and prints three lines: message id,
receipt handle, approximate receive count. Prints nothing when no message was received (the CLI
prints nothing, or an object without "Messages"). Standard library only, Python 3.6+.
"""

import json
import os
import sys


def main():
    received, body_file = sys.argv[1], sys.argv[2]
    with open(received) as source:
        raw = source.read().strip()
    messages = (json.loads(raw) if raw else {}).get("Messages") or []
    if not messages:
        return
    message = messages[0]
    descriptor = os.open(body_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as target:
        target.write(message.get("Body", ""))
    attributes = message.get("Attributes") or {}
    print(message["MessageId"])
    print(message["ReceiptHandle"])
    print(attributes.get("ApproximateReceiveCount", ""))


if __name__ == "__main__":
    main()
