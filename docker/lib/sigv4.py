"""AWS JSON-protocol calls with the standard library only, for app images whose python lacks boto3.

Signs requests with Signature Version 4 using the credentials the SDKs would find first in a
container: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN), else the ECS task role
(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI). Endpoints follow AWS_ENDPOINT_URL_<SERVICE>
and AWS_ENDPOINT_URL as the SDKs do. Python 3.6+.
"""

import datetime
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit

ECS_CREDENTIALS_HOST = "http://169.254.170.2"


class AwsError(Exception):
    """A call that failed: the service's error code and message, or why no call could be made."""


def region():
    name = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not name:
        raise AwsError("no AWS region: set AWS_REGION (ECS sets it in every task)")
    return name


def endpoint(service, endpoint_env):
    explicit = os.environ.get("AWS_ENDPOINT_URL_" + endpoint_env) or os.environ.get("AWS_ENDPOINT_URL")
    if explicit:
        return explicit
    where = region()
    return "https://%s.%s.%s" % (service, where, "amazonaws.com.cn" if where.startswith("cn-") else "amazonaws.com")


def _get_json(url, headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


def credentials():
    """(access key id, secret access key, session token or None)."""
    if os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        return (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ.get("AWS_SESSION_TOKEN"))
    relative = os.environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    full = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if not relative and not full:
        raise AwsError("no AWS credentials: neither AWS_ACCESS_KEY_ID nor an ECS task role (AWS_CONTAINER_CREDENTIALS_*)")
    headers = {}
    token_file = os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    if token_file:
        with open(token_file) as source:
            headers["Authorization"] = source.read().strip()
    elif os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"):
        headers["Authorization"] = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    try:
        document = _get_json(ECS_CREDENTIALS_HOST + relative if relative else full, headers)
        return (document["AccessKeyId"], document["SecretAccessKey"], document.get("Token"))
    except (OSError, ValueError, KeyError) as error:
        raise AwsError("could not read the task role's credentials: %s" % error)


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign(url, headers, body, service, where, keys, now):
    """Headers for a POST of `body` to `url` with SigV4 (Authorization, X-Amz-Date, token)."""
    access_key, secret_key, token = keys
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    signed = {name.lower(): " ".join(value.split()) for name, value in headers.items()}
    signed.update({"host": urlsplit(url).netloc, "x-amz-date": amz_date})
    if token:
        signed["x-amz-security-token"] = token
    names = sorted(signed)
    canonical = "\n".join([
        "POST", urlsplit(url).path or "/", "",
        "".join("%s:%s\n" % (name, signed[name]) for name in names),
        ";".join(names), hashlib.sha256(body).hexdigest(),
    ])
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], where, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (amz_date[:8], where, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    result = dict(headers, **{"X-Amz-Date": amz_date})
    if token:
        result["X-Amz-Security-Token"] = token
    result["Authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        access_key, scope, ";".join(names), signature)
    return result


def call(service, target, json_version, endpoint_env, params, timeout):
    """One JSON-protocol call, e.g. call('sqs', 'AmazonSQS.ReceiveMessage', '1.0', 'SQS', {...}, 30)."""
    url = endpoint(service, endpoint_env)
    body = json.dumps(params).encode("utf-8")
    headers = {"Content-Type": "application/x-amz-json-" + json_version, "X-Amz-Target": target}
    now = datetime.datetime.now(datetime.timezone.utc)
    signed = sign(url, headers, body, service, region(), credentials(), now)
    request = urllib.request.Request(url, data=body, headers=signed, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as error:
        raise AwsError(_error_text(error))
    except (OSError, ValueError) as error:
        raise AwsError("%s did not answer: %s" % (url, error))


def _error_text(error):
    try:
        document = json.loads(error.read().decode("utf-8"))
    except ValueError:
        return "HTTP %d" % error.code
    code = str(document.get("__type", "HTTP %d" % error.code)).split("#")[-1]
    return "%s: %s" % (code, document.get("message") or document.get("Message") or "")
