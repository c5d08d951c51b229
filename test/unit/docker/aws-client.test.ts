import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureVenv, venvBin } from '../../../scripts/lib/venv.js';
import { DOCKER_DIR, Sandbox } from './sandbox.js';

/**
 * docker/lib's AWS client without the AWS CLI or boto3 (sigv4.py, aws_call.py) and the task-protection
 * call (task_protection.py), run as the entrypoints run them.
 */
const LIB = join(DOCKER_DIR, 'lib');

/** Signs the same requests with botocore (from the project venv) and with sigv4.py; prints both. */
const COMPARE_WITH_BOTOCORE = `
import datetime, json, sys
sys.path.insert(0, ${JSON.stringify(LIB)})
import sigv4
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
pairs = []
for url, service, token in [("https://sqs.us-east-1.amazonaws.com/", "sqs", None),
                            ("http://127.0.0.1:5000/", "secretsmanager", "session/token+=")]:
    body = b'{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "WaitTimeSeconds": 20}'
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ReceiveMessage"}
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token), service, "eu-west-1").add_auth(request)
    now = datetime.datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    keys = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    mine = sigv4.sign(url, headers, body, service, "eu-west-1", keys, now)
    pairs.append([request.headers["Authorization"], mine["Authorization"]])
print(json.dumps(pairs))
`;

/** Runs docker/lib/<script> with the sandbox's python and only `env`; resolves with status and output. */
function runLib(sandbox: Sandbox, script: string, args: string[], env: Record<string, string>) {
  const child = spawn(sandbox.env.PYTHON ?? 'python3', [join(LIB, script), ...args], {
    env: { PATH: process.env.PATH ?? '', SANDBOX: sandbox.dir, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    child.on('exit', (status) => {
      done({ status, stdout, stderr });
    });
  });
}

describe('docker/lib/sigv4.py', () => {
  beforeAll(() => {
    ensureVenv();
  }, 300_000);

  it('signs exactly as botocore does, with and without a session token and a port', () => {
    const result = spawnSync(venvBin('python'), ['-c', COMPARE_WITH_BOTOCORE], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const pairs = JSON.parse(result.stdout) as [string, string][];
    expect(pairs).toHaveLength(2);
    for (const [botocore, ours] of pairs) expect(ours).toBe(botocore);
  });
});

describe('docker/lib python helpers, run as the entrypoints run them', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox();
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  describe('aws_call.py without boto3', () => {
    it("signs with the ECS task role's credentials from the container credentials endpoint", async () => {
      const seen: { path: string; authorization: string; token: string }[] = [];
      const endpoint = await sandbox.listen((request, _body, response) => {
        const authorization = request.headers.authorization ?? '';
        seen.push({ path: request.url ?? '', authorization, token: String(request.headers['x-amz-security-token']) });
        const answer =
          request.url === '/v2/credentials/task'
            ? { AccessKeyId: 'ASIATASKROLE', SecretAccessKey: 'role-secret', Token: 'role-session' }
            : { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/cgap-ingestion' };
        response.writeHead(200).end(JSON.stringify(answer));
      });

      const result = await runLib(sandbox, 'aws_call.py', ['queue-url', 'cgap-ingestion'], {
        CONDUCTOR_AWS_CLIENT: 'stdlib',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SQS: endpoint,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/v2/credentials/task`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'agent-token',
      });

      expect(result).toMatchObject({
        status: 0,
        stdout: 'https://sqs.us-east-1.amazonaws.com/123456789012/cgap-ingestion\n',
      });
      expect(seen[0]).toMatchObject({ path: '/v2/credentials/task', authorization: 'agent-token' });
      expect(seen[1]?.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=ASIATASKROLE\/\d{8}\/us-east-1\/sqs\/aws4_request, /,
      );
      expect(seen[1]?.token).toBe('role-session');
    });

    it("fails with the service's error code and message", async () => {
      const endpoint = await sandbox.listen((_request, _body, response) => {
        response.writeHead(400).end(
          JSON.stringify({
            __type: 'com.amazonaws.sqs#QueueDoesNotExist',
            message: 'The specified queue does not exist.',
          }),
        );
      });
      const env = {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
      };

      const result = await runLib(sandbox, 'aws_call.py', ['queue-url', 'nope'], {
        ...env,
        CONDUCTOR_AWS_CLIENT: 'stdlib',
      });

      expect(result).toMatchObject({ status: 1, stdout: '' });
      expect(result.stderr).toBe('aws_call queue-url: QueueDoesNotExist: The specified queue does not exist.\n');
    });

    it('says so when no credentials can be found', async () => {
      const result = await runLib(sandbox, 'aws_call.py', ['queue-url', 'q'], {
        AWS_REGION: 'us-east-1',
        CONDUCTOR_AWS_CLIENT: 'stdlib',
      });

      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/no AWS credentials: neither AWS_ACCESS_KEY_ID nor an ECS task role/);
    });
  });

  describe('task_protection.py', () => {
    it('retries an agent that is briefly unavailable, then reports the protection set', {
      timeout: 10_000,
    }, async () => {
      let calls = 0;
      const agent = await sandbox.fakeAgent((request) => {
        calls += 1;
        return calls === 1 ? { status: 503, body: {} } : { status: 200, body: { protection: request.body } };
      });

      const result = await runLib(sandbox, 'task_protection.py', ['on', '60'], { ECS_AGENT_URI: agent.uri });

      expect(result.status).toBe(0);
      expect(agent.requests).toEqual([
        {
          method: 'PUT',
          path: '/api/test-task/task-protection/v1/state',
          body: { ProtectionEnabled: true, ExpiresInMinutes: 60 },
        },
        {
          method: 'PUT',
          path: '/api/test-task/task-protection/v1/state',
          body: { ProtectionEnabled: true, ExpiresInMinutes: 60 },
        },
      ]);
    });
  });
});
