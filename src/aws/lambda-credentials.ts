/**
 * The credential provider the Lambda bundles use in place of the SDK's default chain
 * (`@aws-sdk/credential-provider-node`, swapped by an esbuild alias in serverless/esbuild.config.cjs).
 *
 * Lambda gives every function its role's credentials in these environment variables, and local mode
 * sets them too, so the default chain always stops at its first link there. Its other links (SSO,
 * ini files, credential processes, web identity, container and instance metadata) and the STS, SSO
 * and sign-in clients they carry were a fifth of every bundle, parsed at every cold start.
 * Tests and scripts run the sources unbundled and keep the SDK's full chain.
 */
export interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Same signature as the SDK's `defaultProvider`: a factory of an async credential provider. */
export function defaultProvider(): () => Promise<EnvironmentCredentials> {
  // Read when the client first signs, not when it is created; a missing variable rejects the call.
  return () =>
    new Promise((resolve) => {
      resolve(credentialsFromEnvironment(process.env));
    });
}

export function credentialsFromEnvironment(env: NodeJS.ProcessEnv): EnvironmentCredentials {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      'no AWS credentials: this bundle is built for AWS Lambda, which sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  const expiration = env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
  };
}
