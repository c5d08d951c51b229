import type { Context } from 'aws-lambda';

// The Context type still requires the pre-async callbacks; nothing calls them.
const legacyCallbacks = { done: () => undefined, fail: () => undefined, succeed: () => undefined };

/** A fixed Lambda context, as the runtime passes one to every invocation. */
export function lambdaContext(functionName = 'ecs-conductor-test-fn', awsRequestId = 'req-0001'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 29_000,
    ...legacyCallbacks,
  };
}
