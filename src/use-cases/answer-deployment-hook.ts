import type { Environments } from '../domain/environment.js';
import { serviceOfArn, smokeAnswer, smokeSummary, type HookAnswer } from '../domain/native-deployment.js';
import type { SmokeCheck } from '../domain/native-strategy.js';
import { withTimeline } from '../domain/rollout.js';
import type { ReleasePorts, SmokeProbe } from './ports.js';

/** What the hook needs: the release it reports to (by the environment's lock), and an HTTP GET. */
export type HookPorts = Pick<ReleasePorts, 'releases' | 'locks' | 'now'> & { probe: SmokeProbe };

/** One invocation of the conductor's lifecycle hook by ECS, as the handler read it. */
export interface HookInvocation {
  serviceArn: string;
  /** The stage ECS is at, when the payload says (the conductor registers POST_TEST_TRAFFIC_SHIFT). */
  lifecycleStage: string | undefined;
  /** 1 on the first invocation; the count the hook passed back with IN_PROGRESS after that. */
  attempt: number;
}

export interface HookOutcome {
  answer: HookAnswer;
  /** The timeline line recorded, or why nothing was checked. */
  summary: string;
  environment?: string;
  service?: string;
  releaseId?: string;
}

/** The smoke check's URL: the test listener's base URL joined with the path. */
function smokeUrl(check: SmokeCheck): string {
  return `${check.testListenerUrl.replace(/\/+$/, '')}${check.path}`;
}

/**
 * ECS asks the conductor's hook whether its deployment may go on: the smoke check of the service's
 * strategy runs through the test listener, and the answer (SUCCEEDED, FAILED, or IN_PROGRESS with a
 * delay while the listener is unreachable) is recorded in the timeline of the release rolling out
 * in that environment. A service the conductor does not know answers FAILED: the conductor only
 * registers its hook on its own services, so anything else is a misconfiguration, never to pass.
 */
export async function answerDeploymentHook(
  ports: HookPorts,
  environments: Environments,
  invocation: HookInvocation,
): Promise<HookOutcome> {
  const target = serviceOfArn(environments, invocation.serviceArn);
  if (!target) return { answer: { hookStatus: 'FAILED' }, summary: `no configured service ${invocation.serviceArn}` };
  const check = target.strategy?.smokeCheck;
  const stage = invocation.lifecycleStage ?? 'hook';
  const named = { environment: target.environment, service: target.service };
  if (!check) return { answer: { hookStatus: 'SUCCEEDED' }, summary: 'no smoke check configured', ...named };

  const result = await ports.probe.get(smokeUrl(check), check.timeoutSeconds);
  const answer = smokeAnswer(check, result, invocation.attempt);
  const summary = `service ${target.service}: ${stage} → ${smokeSummary(check, result, answer)}`;
  const releaseId = await recordHook(ports, target.environment, summary, smokeUrl(check));
  return { answer, summary, ...named, ...(releaseId ? { releaseId } : {}) };
}

/** Appends the line to the release rolling out in the environment now (the lock's holder), if there is one. */
async function recordHook(
  ports: HookPorts,
  environment: string,
  summary: string,
  url: string,
): Promise<string | undefined> {
  const holder = await ports.locks.holder(environment);
  if (!holder) return undefined;
  const at = ports.now().toISOString();
  const recorded = await ports.releases.update(holder.releaseId, (release) =>
    release.state === 'DEPLOYING' ? withTimeline(release, [{ at, step: summary, detail: `GET ${url}` }]) : release,
  );
  return recorded?.state === 'DEPLOYING' ? holder.releaseId : undefined;
}
