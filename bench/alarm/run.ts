import '../lib/quiet-sdk.js';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from '../../scripts/lib/emulator.js';
import { emulatorClients } from '../../scripts/lib/emulator-clients.js';
import { startLocalMode, type LocalMode } from '../../scripts/local.js';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';
import { main } from '../../src/cli/main.js';
import { pushSourceImage } from '../../src/local/push.js';
import { machineLine } from '../lib/machine.js';
import { ratio, table } from '../lib/markdown.js';
import { median } from '../lib/stats.js';

/**
 * npm run bench:alarm [-- --rounds 3]
 * How long an alarm in ALARM during a bake takes to start the rollback, in local mode on
 * examples/release-gates: with CloudWatch's state-change events played (onAlarmStateChange), and
 * without them, as before they existed, when only reconcile's one-minute schedule read the alarm. Each
 * round deploys a new version to production (through staging, the scan and the approval), waits for
 * its bake, sets the alarm with SetAlarmState and reads, from the release itself, the time from the
 * alarm's StateUpdatedTimestamp to the timeline's `automatic rollback started`.
 */
const CONFIG = join(PROJECT_ROOT, 'examples', 'release-gates', 'conductor.yml');
const ALARM = 'gates-production-wsgi-5xx';
const TOKEN = 'bench-alarm';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);

interface Release {
  id: string;
  state: string;
  timeline: { at: string; step: string }[];
  failure?: { alarm?: { changedAt: string } };
  rollout?: { watch?: { bakeUntil?: string } };
}

function client(local: LocalMode) {
  const api = async (method: string, path: string, body?: unknown) => {
    const reply = await fetch(`${local.endpoints.httpApi}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: reply.status, json: (await reply.json()) as Record<string, unknown> };
  };
  const cli = (args: string[]) =>
    main(['node', 'ecs-conductor', ...args], () => undefined, {
      env: { CONDUCTOR_EMULATOR_URL: local.endpoints.emulator, CONDUCTOR_LAMBDA_URL: local.endpoints.lambda },
      writeError: () => undefined,
    });
  const release = async (id: string) => (await api('GET', `/releases/${id}`)).json as unknown as Release;
  const until = async (id: string, done: (seen: Release) => boolean, seconds: number) => {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const seen = await release(id);
      if (done(seen)) return seen;
      await sleep(500);
    }
    throw new Error(`release ${id} did not get there in ${seconds} s (${(await release(id)).state})`);
  };
  return { api, cli, release, until };
}

/** Deploys `version` to staging, then to production with its approval; returns production's release id. */
async function deployToProduction(local: LocalMode, version: string): Promise<string> {
  const { api, cli, until } = client(local);
  const staging = await pushSourceImage(local.endpoints, 'gates-app', version, 'staging');
  if ((await cli(['local', 'scan', 'production', version, '--config', CONFIG])) !== 0) throw new Error('local scan');
  await api('POST', '/environments/staging/deployments', { version });
  await until(staging.release?.id ?? '', (seen) => seen.state === 'COMPLETED', 120);
  const asked = await api('POST', '/environments/production/deployments', { version });
  if (asked.json.state !== 'AWAITING_APPROVAL') throw new Error(`production's ${version}: ${JSON.stringify(asked)}`);
  await api('POST', '/environments/production/approvals', { version, reason: 'bench' });
  return String(asked.json.id);
}

/** One mode: its own local mode, a first release to roll back to, then `rounds` alarms during bakes. */
async function measure(alarmEvents: boolean): Promise<number[]> {
  const local = await startLocalMode({
    configPath: CONFIG,
    emulatorPort: await freePort(),
    httpPort: await freePort(),
    lambdaPort: await freePort(),
    token: TOKEN,
    serverlessOutput: 'ignore',
    ownBuildDir: true,
    taskStopSeconds: 2,
    log: () => undefined,
    alarmEvents,
  });
  const { cloudwatch } = emulatorClients(local.endpoints.emulator);
  const setAlarm = (state: 'OK' | 'ALARM') =>
    cloudwatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: 'bench' }));
  const { cli, until } = client(local);
  const seconds: number[] = [];
  try {
    const first = await deployToProduction(local, '1.0.0');
    const baking = await until(first, (seen) => seen.state === 'BAKING', 180);
    await sleep(Math.max(0, Date.parse(baking.rollout?.watch?.bakeUntil ?? '') + 1000 - Date.now()));
    await cli(['local', 'reconcile']);
    await until(first, (seen) => seen.state === 'COMPLETED', 120);
    for (let round = 1; round <= rounds; round += 1) {
      const id = await deployToProduction(local, `${round + 1}.0.0`);
      await until(id, (seen) => seen.state === 'BAKING', 180);
      await setAlarm('ALARM');
      const failed = await until(id, (seen) => seen.timeline.some((e) => e.step === 'automatic rollback started'), 150);
      const started = Date.parse(failed.timeline.find((e) => e.step === 'automatic rollback started')?.at ?? '');
      seconds.push((started - Date.parse(failed.failure?.alarm?.changedAt ?? '')) / 1000);
      await until(id, (seen) => seen.state === 'ROLLED_BACK', 180);
      await setAlarm('OK');
      console.error(`${alarmEvents ? 'event' : 'tick'} round ${round}: ${seconds.at(-1)?.toFixed(1)} s`);
    }
    return seconds;
  } finally {
    await local.stop();
  }
}

const event = await measure(true);
const tick = await measure(false);
const row = (name: string, samples: number[]) => [
  name,
  median(samples).toFixed(1),
  Math.min(...samples).toFixed(1),
  Math.max(...samples).toFixed(1),
  samples.map((value) => value.toFixed(1)).join(', '),
];
console.log(`Alarm in ALARM during a bake → automatic rollback started, local mode, ${rounds} rounds each`);
console.log(machineLine());
console.log(
  table(
    ['how the alarm is seen', 'median s', 'min s', 'max s', 'samples s'],
    [row('state-change event (onAlarmStateChange)', event), row("reconcile's one-minute tick only (before)", tick)],
  ),
);
console.log(`tick / event, medians: ${ratio(median(tick) / median(event))}`);
