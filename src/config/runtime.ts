import {
  autoscaleTickQueueName,
  conductorFunctionName,
  DEFAULT_METRICS_NAMESPACE,
  DEPLOYMENT_HOOK_FUNCTION,
} from '../domain/names.js';
import { DEFAULT_RECHECK_SECONDS, SCHEDULE_SECONDS } from '../domain/scaling.js';
import { ConfigError } from './errors.js';

/**
 * The one reader of the Lambdas' runtime settings: every variable the conductor's own code reads
 * from the environment is read and checked here, at cold start, so a bad value stops the function
 * with a message naming the variable and what it must be (instead of, say, a NaN that makes the
 * autoscaler's ticks come back at once). The config document itself arrives through CONDUCTOR_CONFIG
 * (config/cold-start.ts); the SDK reads its own AWS_* variables.
 *
 * Checked by hand rather than with zod: the functions that validate nothing else (autoscale,
 * reconcile) then leave zod out of their bundles.
 */

type Environment = Readonly<Record<string, string | undefined>>;

/** Throws every problem at once, each as `VARIABLE: what it must be`. */
function settled<T>(problems: string[], settings: T): T {
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

export interface RuntimeSettings {
  stage: string;
  tableName: string;
}

/** The deployment's own settings, from the Lambda environment serverless.yml sets. */
export function loadRuntimeSettings(env: Environment = process.env): RuntimeSettings {
  const { CONDUCTOR_STAGE: stage = 'local', CONDUCTOR_TABLE: tableName = '' } = env;
  return settled(
    [
      ...(stage === '' ? ['CONDUCTOR_STAGE: must not be empty'] : []),
      ...(tableName.length < 3 ? ['CONDUCTOR_TABLE: must name the conductor state table'] : []),
    ],
    { stage, tableName },
  );
}

/** What ECS is given for the conductor's lifecycle hook: the Lambda to invoke and the role it invokes it with. */
export interface HookTargets {
  functionArn: string;
  roleArn: string;
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * The hook's function and invoke role, which serverless.yml gives the functions that roll services
 * (CONDUCTOR_HOOK_FUNCTION_ARN, CONDUCTOR_HOOK_ROLE_ARN). Under serverless-offline, which cannot
 * resolve CloudFormation's references, stand-ins in the local account name the local function: local
 * mode's player invokes it by that name. Read only when a native deployment starts.
 */
export function loadHookTargets(env: Environment = process.env): HookTargets {
  const stage = env.CONDUCTOR_STAGE || 'local';
  const offline = env.IS_OFFLINE === 'true';
  const region = env.AWS_REGION ?? 'us-east-1';
  const functionArn =
    env.CONDUCTOR_HOOK_FUNCTION_ARN && LAMBDA_ARN.test(env.CONDUCTOR_HOOK_FUNCTION_ARN)
      ? env.CONDUCTOR_HOOK_FUNCTION_ARN
      : offline
        ? `arn:aws:lambda:${region}:123456789012:function:${conductorFunctionName(stage, DEPLOYMENT_HOOK_FUNCTION)}`
        : '';
  const roleArn =
    env.CONDUCTOR_HOOK_ROLE_ARN && ROLE_ARN.test(env.CONDUCTOR_HOOK_ROLE_ARN)
      ? env.CONDUCTOR_HOOK_ROLE_ARN
      : offline
        ? `arn:aws:iam::123456789012:role/${conductorFunctionName(stage, DEPLOYMENT_HOOK_FUNCTION)}-invoke`
        : '';
  return settled(
    [
      ...(functionArn ? [] : ['CONDUCTOR_HOOK_FUNCTION_ARN: must be the ARN of the deployment hook Lambda']),
      ...(roleArn ? [] : ['CONDUCTOR_HOOK_ROLE_ARN: must be the ARN of the role ECS invokes the hook with']),
    ],
    { functionArn, roleArn },
  );
}

export interface AutoscaleSettings {
  /** Seconds between passes: the delay of each tick of the autoscaler's chain. */
  recheckSeconds: number;
  /** The queue (name or URL) that carries the chain's ticks; the stage's own by default. */
  tickQueue: string;
  /** CloudWatch namespace of the scaling metrics. */
  metricsNamespace: string;
}

/** CloudWatch's rule for a namespace: 1-255 of these characters, and not AWS's own `AWS/` ones. */
const METRICS_NAMESPACE = /^(?!AWS\/)[0-9A-Za-z._\-/#: ]{1,255}$/;

/** A whole or decimal number of seconds within [min, max]; undefined when the value is not one. */
function seconds(value: string, min: number, max: number): number | undefined {
  const parsed = Number(value);
  return /^\d+(\.\d+)?$/.test(value) && parsed >= min && parsed <= max ? parsed : undefined;
}

export function loadAutoscaleSettings(env: Environment = process.env): AutoscaleSettings {
  const recheck = env.CONDUCTOR_AUTOSCALE_RECHECK_SECONDS ?? String(DEFAULT_RECHECK_SECONDS);
  const recheckSeconds = seconds(recheck, 1, SCHEDULE_SECONDS);
  const metricsNamespace = env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULT_METRICS_NAMESPACE;
  const tickQueue = env.CONDUCTOR_AUTOSCALE_TICK_QUEUE || autoscaleTickQueueName(env.CONDUCTOR_STAGE || 'local');
  return settled(
    [
      ...(recheckSeconds === undefined
        ? [
            `CONDUCTOR_AUTOSCALE_RECHECK_SECONDS: must be a number of seconds from 1 to ${SCHEDULE_SECONDS} (default ${DEFAULT_RECHECK_SECONDS}), not "${recheck}"`,
          ]
        : []),
      ...(METRICS_NAMESPACE.test(metricsNamespace)
        ? []
        : [
            'POWERTOOLS_METRICS_NAMESPACE: must be a CloudWatch namespace: 1-255 letters, digits, spaces and . - _ / # :, not starting with AWS/',
          ]),
    ],
    { recheckSeconds: recheckSeconds ?? DEFAULT_RECHECK_SECONDS, tickQueue, metricsNamespace },
  );
}

/** A local-mode caller: a bearer token and the principal it acts as. */
export interface LocalCaller {
  token: string;
  principal: string;
  /** Local mode's own operator: may do everything, whatever the allow-lists say (never in AWS). */
  unrestricted?: true;
}

const PRINCIPAL = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/;
const DEFAULT_LOCAL_PRINCIPAL = 'arn:aws:iam::123456789012:role/cgap-release';
/** Who the all-access local token is, in logs and `triggeredBy`. */
export const LOCAL_OPERATOR_PRINCIPAL = 'arn:aws:iam::123456789012:role/local-operator';

/** `{"<token>": "<principal ARN>"}`, or undefined when it is not that. */
function tokenMap(json: string): [string, unknown][] | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CONDUCTOR_API_TOKEN's caller. Under serverless-offline (IS_OFFLINE=true, which it sets; Lambda never
 * does) and unless told otherwise — CONDUCTOR_LOCAL_PRINCIPAL, or CONDUCTOR_API_TOKENS mapping that
 * same token — it is the all-access local operator, so every printed command works as printed.
 * Elsewhere it acts as CONDUCTOR_LOCAL_PRINCIPAL, by default the release role.
 */
function primaryCaller(env: Environment, entries: [string, unknown][]): LocalCaller[] {
  const token = env.CONDUCTOR_API_TOKEN;
  if (!token) return [];
  const mapped = entries.some(([mappedToken]) => mappedToken === token);
  if (env.IS_OFFLINE === 'true' && env.CONDUCTOR_LOCAL_PRINCIPAL === undefined && !mapped)
    return [{ token, principal: LOCAL_OPERATOR_PRINCIPAL, unrestricted: true }];
  return [{ token, principal: env.CONDUCTOR_LOCAL_PRINCIPAL ?? DEFAULT_LOCAL_PRINCIPAL }];
}

/**
 * Local mode's bearer tokens: CONDUCTOR_API_TOKEN (see primaryCaller), and CONDUCTOR_API_TOKENS (JSON
 * `{"<token>": "<principal ARN>"}`) adds callers that keep their principals and allow-lists. In AWS
 * neither is set and only SigV4 (IAM authorization) gets in. Messages never quote a token.
 */
export function loadLocalCallers(env: Environment = process.env): LocalCaller[] {
  const principal = env.CONDUCTOR_LOCAL_PRINCIPAL ?? DEFAULT_LOCAL_PRINCIPAL;
  const problems = PRINCIPAL.test(principal)
    ? []
    : [`CONDUCTOR_LOCAL_PRINCIPAL: must be an IAM or STS principal ARN, not "${principal}"`];
  const entries = env.CONDUCTOR_API_TOKENS ? tokenMap(env.CONDUCTOR_API_TOKENS) : [];
  if (!entries) problems.push('CONDUCTOR_API_TOKENS: must be a JSON object {"<token>": "<principal ARN>"}');
  const callers = primaryCaller(env, entries ?? []);
  (entries ?? []).forEach(([token, tokenPrincipal], index) => {
    if (token !== '' && typeof tokenPrincipal === 'string' && PRINCIPAL.test(tokenPrincipal)) {
      callers.push({ token, principal: tokenPrincipal });
    } else {
      problems.push(`CONDUCTOR_API_TOKENS: entry ${index + 1} must map a token to an IAM or STS principal ARN`);
    }
  });
  const spaced = callers.filter((caller) => /\s/.test(caller.token)).length;
  if (spaced > 0)
    problems.push(`CONDUCTOR_API_TOKEN(S): ${spaced} token(s) contain spaces; a bearer token is one word`);
  return settled(problems, callers);
}
