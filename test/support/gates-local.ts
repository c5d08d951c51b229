import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalMode } from '../../scripts/local.js';
import { main } from '../../src/cli/main.js';
import { pushSourceImage } from '../../src/local/push.js';
import { call } from './local-api.js';

/** A release as GET /releases/{id} shows it, as far as the examples/release-gates tests read it. */
export interface ReleaseView {
  id: string;
  state: string;
  failure?: { reason: string };
  rollout?: { services: Record<string, { serviceDeploymentArn?: string; taskDefinitionArn?: string }> };
  timeline: { step: string; detail?: string }[];
}

/**
 * What the end-to-end tests on examples/release-gates do to a running local mode: call the API, run
 * the CLI, push a version, and wait for a release to settle. `local` is read when called (set in beforeAll).
 */
export function gatesLocal(local: () => LocalMode) {
  const api = async (method: string, path: string, body?: unknown) => {
    const { endpoints, token } = local();
    const reply = await call(endpoints.httpApi, method, path, {
      token,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: reply.status, json: reply.json as Record<string, unknown> };
  };

  const cli = async (args: string[]) => {
    let output = '';
    const { endpoints } = local();
    const code = await main(['node', 'ecs-conductor', ...args], (text) => (output += text), {
      env: { CONDUCTOR_EMULATOR_URL: endpoints.emulator, CONDUCTOR_LAMBDA_URL: endpoints.lambda },
      writeError: (text) => (output += text),
    });
    return { code, output };
  };

  /** `ecs-conductor approve production VERSION` against the local API, as an operator runs it. */
  const approve = (version: string, reason?: string) => {
    const { endpoints, token } = local();
    const why = reason === undefined ? [] : ['--reason', reason];
    return cli(['--api', endpoints.httpApi, '--token', token, 'approve', 'production', version, ...why]);
  };

  /** One push to the shared repository makes a release in both environments; returns the one of `environment`. */
  async function push(version: string, environment: string): Promise<string> {
    const pushed = await pushSourceImage(local().endpoints, 'gates-app', version, environment);
    if (!pushed.release) throw new Error(`onImagePush recorded no release for ${environment}:${version}`);
    return pushed.release.id;
  }

  async function settle(releaseId: string, seconds = 90): Promise<ReleaseView> {
    for (let attempt = 0; attempt < seconds; attempt += 1) {
      const release = (await api('GET', `/releases/${releaseId}`)).json as unknown as ReleaseView;
      if (['COMPLETED', 'FAILED', 'ROLLED_BACK'].includes(release.state)) return release;
      await sleep(1000);
    }
    throw new Error(`release ${releaseId} did not settle`);
  }

  return { api, cli, approve, push, settle };
}
