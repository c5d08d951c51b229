/**
 * Settings shared by every SDK client. The endpoint is not set here on purpose: the SDK reads the
 * standard `AWS_ENDPOINT_URL` itself, so the same code talks to AWS or to the local emulator.
 */
export const clientConfig = {
  retryMode: 'adaptive',
  maxAttempts: 5,
} as const;
