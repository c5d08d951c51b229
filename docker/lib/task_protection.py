"""ECS task scale-in protection through the container agent, without curl or the AWS CLI.

  task_protection.py on MINUTES | off

PUTs {"ProtectionEnabled": true, "ExpiresInMinutes": MINUTES} (or {"ProtectionEnabled": false}) to
$ECS_AGENT_URI/task-protection/v1/state. Exits 0 when the agent confirms; otherwise prints why on
stdout and exits 1. Connection failures, timeouts and 5xx/429 answers are retried 3 times, 1 s apart.
Standard library only, Python 3.6+.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

ATTEMPTS = 4
TIMEOUT_SECONDS = 10


def put(url, body):
    """The agent's JSON answer, or raises OSError/ValueError once the retries are spent."""
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(url, data=json.dumps(body, separators=(",", ":")).encode("utf-8"), method="PUT",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            retryable = error.code >= 500 or error.code == 429
            if not retryable or attempt == ATTEMPTS:
                return json.loads(error.read().decode("utf-8") or "{}") if error.code < 500 else {"error": error.code}
        except OSError:
            if attempt == ATTEMPTS:
                raise
        time.sleep(1)


def main(argv):
    if not argv or argv[0] not in ("on", "off") or len(argv) != (2 if argv[0] == "on" else 1):
        print("usage: task_protection.py on MINUTES | off")
        return 2
    body = {"ProtectionEnabled": argv[0] == "on"}
    if argv[0] == "on":
        body["ExpiresInMinutes"] = int(argv[1])
    url = os.environ["ECS_AGENT_URI"] + "/task-protection/v1/state"
    try:
        answer = put(url, body)
    except (OSError, ValueError) as error:
        print("the ECS agent did not answer: %s" % error)
        return 1
    # The agent answers 200 with a "failure" (ECS refused) or "error" object when it could not apply it.
    if not isinstance(answer, dict) or "protection" not in answer or "failure" in answer or "error" in answer:
        print("refused by ECS: %s" % json.dumps(answer))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
