"""Loads the application's configuration from AWS Secrets Manager (the role of CGAP's assume_identity.py).

Reads the secret named by IDENTITY through aws_call.py (boto3 if this python has it, else the standard
library; no AWS CLI), expects a JSON object, and:
  * prints `export NAME='value'` lines on stdout for the calling entrypoint to eval;
  * when APP_CONFIG_TEMPLATE and APP_CONFIG_FILE are set, renders the template's ${NAME} references
    from the environment plus the secret into APP_CONFIG_FILE (mode 0600), as CGAP rendered
    mastertest.ini into production.ini. Every reference nobody provides is named in one error.
    Skipped when CONFIGURE_COMMAND is set: the app configures itself (CGAP: python -m assume_identity).
Secret values never reach stderr: messages name keys only. Python 3.6+.
"""

import json
import os
import re
import shlex
import sys

import aws_call

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fail(message):
    sys.stderr.write("load_config: %s\n" % message)
    sys.exit(1)


def read_secret(secret_id):
    try:
        text = aws_call.call("secretsmanager", "GetSecretValue", {"SecretId": secret_id})["SecretString"]
    except aws_call.sigv4.AwsError as error:
        fail("reading secret %s failed: %s" % (secret_id, error))
    try:
        document = json.loads(text)
    except ValueError:
        fail("secret %s is not a JSON document" % secret_id)
    if not isinstance(document, dict):
        fail("secret %s is not a JSON object of settings" % secret_id)
    return document


def as_text(value):
    if isinstance(value, str):
        return value
    return json.dumps(value)


def render(template_path, target_path, values):
    with open(template_path) as source:
        template = source.read()
    missing = sorted({name for name in REFERENCE.findall(template) if name not in values})
    if missing:
        fail("%s refers to settings that are not set: %s (set them in the secret or the task definition, "
             "or set CONFIGURE_COMMAND to the app's own configuration step)" % (template_path, ", ".join(missing)))
    rendered = REFERENCE.sub(lambda match: values[match.group(1)], template)
    try:
        descriptor = os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        fail("cannot write %s: %s (build the image with APP_USER set to the user that owns it)"
             % (target_path, error.strerror))
    with os.fdopen(descriptor, "w") as target:
        target.write(rendered)


def main():
    secret_id = os.environ.get("IDENTITY", "")
    if not secret_id:
        fail("IDENTITY (the secret id) is not set")
    settings = {}
    for key, value in read_secret(secret_id).items():
        if NAME.match(key):
            settings[key] = as_text(value)
        else:
            sys.stderr.write("load_config: skipping key %r: not a valid environment variable name\n" % key)

    template = os.environ.get("APP_CONFIG_TEMPLATE", "")
    target = os.environ.get("APP_CONFIG_FILE", "")
    if template and target and not os.environ.get("CONFIGURE_COMMAND"):
        values = dict(os.environ)
        values.update(settings)
        render(template, target, values)
        sys.stderr.write("load_config: wrote %s from %s\n" % (target, template))

    for key in sorted(settings):
        sys.stdout.write("export %s=%s\n" % (key, shlex.quote(settings[key])))
    sys.stderr.write("load_config: loaded %d settings from secret %s: %s\n"
                     % (len(settings), secret_id, ", ".join(sorted(settings)) or "(none)"))


if __name__ == "__main__":
    main()
