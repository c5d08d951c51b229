import type { CfnTemplate } from './serverless.js';

/**
 * API Gateway in front of Lambda functions with reserved concurrency, as a packaged template wires
 * them: a call to a route runs on the function its route's integration names, taking one of that
 * function's reserved executions for as long as it runs, or is throttled (Lambda's 429) when every
 * one is busy. serverless-offline models no reserved concurrency, so a flood in local mode cannot
 * show starvation; this model reads what AWS would be given and plays the calls against it.
 */

export interface ModelCall {
  /** What the caller asks, matched as API Gateway matches route keys: `GET /health`, else `ANY /{proxy+}`. */
  method: string;
  path: string;
  /** When it arrives and how long its function runs, in ms. */
  at: number;
  durationMs: number;
}

export interface ModelOutcome extends ModelCall {
  functionId: string;
  throttled: boolean;
}

/** Each route key's function (its logical id), through the route's integration. */
export function routeFunctions(template: CfnTemplate): Map<string, string> {
  const functionOf = (integrationId: string): string => {
    const integration = template.Resources[integrationId];
    const found = /"(\w+LambdaFunction)"/.exec(JSON.stringify(integration?.Properties ?? {}));
    if (!found?.[1]) throw new Error(`integration ${integrationId} names no Lambda function`);
    return found[1];
  };
  const routes = new Map<string, string>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const integration = /"Ref":"(\w+)"/.exec(JSON.stringify(resource.Properties.Target));
    if (!integration?.[1]) throw new Error(`route ${String(resource.Properties.RouteKey)} has no integration`);
    routes.set(String(resource.Properties.RouteKey), functionOf(integration[1]));
  }
  return routes;
}

function reservedExecutions(template: CfnTemplate, functionId: string): number {
  const reserved = template.Resources[functionId]?.Properties.ReservedConcurrentExecutions;
  if (typeof reserved !== 'number') throw new Error(`${functionId} reserves no executions`);
  return reserved;
}

/** Plays the calls, in order of arrival, against each function's reserved executions. */
export function playCalls(template: CfnTemplate, calls: readonly ModelCall[]): ModelOutcome[] {
  const routes = routeFunctions(template);
  const running = new Map<string, number[]>();
  return [...calls]
    .sort((a, b) => a.at - b.at)
    .map((call) => {
      const functionId = routes.get(`${call.method} ${call.path}`) ?? routes.get('ANY /{proxy+}') ?? 'no route';
      const busyUntil = (running.get(functionId) ?? []).filter((end) => end > call.at);
      const throttled = busyUntil.length >= reservedExecutions(template, functionId);
      running.set(functionId, throttled ? busyUntil : [...busyUntil, call.at + call.durationMs]);
      return { ...call, functionId, throttled };
    });
}

/** The template as it was before the public routes had a function of their own: every route on `api`. */
export function withPublicRoutesOnApi(template: CfnTemplate): CfnTemplate {
  const signedTarget = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.RouteKey === 'ANY /{proxy+}',
  )?.Properties.Target;
  const resources = Object.fromEntries(
    Object.entries(template.Resources).map(([id, resource]) => [
      id,
      resource.Type === 'AWS::ApiGatewayV2::Route'
        ? { ...resource, Properties: { ...resource.Properties, Target: signedTarget } }
        : resource,
    ]),
  );
  return { ...template, Resources: resources };
}
