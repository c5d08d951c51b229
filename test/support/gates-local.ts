import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import type { LocalMode } from '../../scripts/local.js';
import { main } from '../../src/cli/main.js';
import { pushSourceImage } from '../../src/local/push.js';
import { SETTLED_RELEASE_STATES } from '../../src/domain/release-states.js';
import { call } from './local-api.js';

/** The example every release-gates test runs local mode on. */
export const GATES_CONFIG = join(PROJECT_ROOT, 'examples', 'release-gates', 'conductor.yml');

/** A release as GET /releases/{id} shows it, as far as the examples/release-gates tests read it. */
export interface ReleaseView {
  id: string;
  state: string;
  failure?: { kind?: string; reason: string; alarm?: { name: string; changedAt: string }; rolledBackTo?: unknown };
  rollout?: {
    services: Record<string, { serviceDeploymentArn?: string; taskDefinitionArn?: string }>;
    watch?: { alarms: string[]; bakeUntil?: string };
  };
  timeline: { at: string; step: string; detail?: string }[];
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

  /** Polls the release until it is in one of `states` (settled by default), for up to `seconds`. */
  async function settle(
    releaseId: string,
    states: readonly string[] = SETTLED_RELEASE_STATES,
    seconds = 90,
  ): Promise<ReleaseView> {
    let release: ReleaseView | undefined;
    for (let attempt = 0; attempt < seconds; attempt += 1) {
      release = (await api('GET', `/releases/${releaseId}`)).json as unknown as ReleaseView;
      if (states.includes(release.state)) return release;
      await sleep(1000);
    }
    throw new Error(`release ${releaseId} did not reach ${states.join('|')} (${release?.state ?? '?'})`);
  }

  /** Deploys a version to staging, then asks for it in production and approves it; returns production's release. */
  async function promoteAndApprove(version: string): Promise<string> {
    const stagingId = await push(version, 'staging');
    if ((await cli(['local', 'scan', 'production', version, '--config', GATES_CONFIG])).code !== 0)
      throw new Error(`local scan of ${version} failed`);
    if ((await api('POST', '/environments/staging/deployments', { version })).status !== 202)
      throw new Error(`staging refused ${version}`);
    const staged = await settle(stagingId);
    if (staged.state !== 'COMPLETED') throw new Error(`staging's ${version} ended ${staged.state}`);
    const asked = await api('POST', '/environments/production/deployments', { version });
    if (asked.json.state !== 'AWAITING_APPROVAL') throw new Error(`production's ${version}: ${JSON.stringify(asked)}`);
    const approved = await api('POST', '/environments/production/approvals', { version, reason: 'staging is green' });
    if (approved.status !== 202) throw new Error(`approval of ${version}: ${JSON.stringify(approved)}`);
    return String(asked.json.id);
  }

  /**
   * Waits for the release to settle; once it bakes, waits out its bake and runs reconcile at once, as
   * its one-minute schedule would within the minute after (the schedule itself is left running).
   */
  async function settleAfterBake(releaseId: string, seconds = 150): Promise<ReleaseView> {
    const reached = await settle(releaseId, ['BAKING', ...SETTLED_RELEASE_STATES], seconds);
    if (reached.state !== 'BAKING') return reached;
    const bakeUntil = Date.parse(reached.rollout?.watch?.bakeUntil ?? '');
    await sleep(Math.max(0, bakeUntil - Date.now()) + 1000);
    const reconciled = await cli(['local', 'reconcile']);
    if (reconciled.code !== 0) throw new Error(`local reconcile failed: ${reconciled.output}`);
    return settle(releaseId, SETTLED_RELEASE_STATES, seconds);
  }

  return { api, cli, approve, push, settle, settleAfterBake, promoteAndApprove };
}
