import type { Context } from 'aws-lambda';
import type { Caller } from './authentication.js';

/** The Lambda context plus what the API's middlewares learned about the request. */
export interface ApiContext extends Context {
  caller?: Caller;
  environment?: string;
  startedAt?: number;
}

/** The authenticated caller; routes behind authentication always have one. */
export function callerOf(context: Context): Caller {
  const caller = (context as ApiContext).caller;
  if (!caller) throw new Error('route reached without an authenticated caller');
  return caller;
}
