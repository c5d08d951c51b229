import { watchedAlarmNames } from '../domain/alarm-watch.js';
import { planRollout } from '../domain/rollout.js';
import {
  gatePasses,
  judgePromotion,
  judgeScan,
  mayOverride,
  releaseDigests,
  type GateOverride,
  type GatePass,
  type GateVerdict,
} from '../domain/gates.js';
import type { Release } from '../domain/release.js';
import { GateRefusedError, OverrideNotAllowedError } from './errors.js';
import type { ReleasePorts } from './ports.js';
import { historyPages } from './release-history.js';
import type { NamedEnvironment } from '../domain/environment.js';

export type GatePorts = Pick<ReleasePorts, 'releases' | 'images' | 'alarms'>;

/** A promotion looks for its source release among that environment's last 500 releases. */
const PROMOTION_WINDOW = { pageSize: 50, maxPages: 10 };

async function scanVerdicts(ports: GatePorts, { env }: NamedEnvironment, release: Release): Promise<GateVerdict[]> {
  const gate = env.gates?.scan;
  if (!gate) return [];
  const digests = [...new Set(Object.values(releaseDigests(release)))];
  const verdicts = await Promise.all(
    digests.map(async (digest) =>
      judgeScan(
        gate,
        `${env.repository}@${digest}`,
        await ports.images.scanReport(env.repository, digest, gate.waitSeconds),
      ),
    ),
  );
  // One verdict for the gate: the first refusal, or every image's pass in one line.
  return [
    verdicts.find((verdict) => !verdict.passed) ?? {
      gate: 'scan',
      passed: true,
      evidence: verdicts.map((verdict) => verdict.evidence).join('; ') || 'the release has no image',
    },
  ];
}

async function promotionVerdicts(
  ports: GatePorts,
  { env }: NamedEnvironment,
  release: Release,
): Promise<GateVerdict[]> {
  const from = env.gates?.promoteFrom;
  if (from === undefined) return [];
  const candidates: Release[] = [];
  for await (const page of historyPages(ports.releases, from, PROMOTION_WINDOW)) {
    candidates.push(...page.filter((candidate) => candidate.version === release.version));
    if (judgePromotion(from, release, candidates).passed) break;
  }
  return [judgePromotion(from, release, candidates)];
}

/**
 * Every alarm a deploy would watch must exist: a misspelt name would otherwise never go to ALARM, and
 * the bake would pass on nothing. Not a gate an override passes: the config must name real alarms.
 */
export async function refuseMissingAlarms(ports: Pick<GatePorts, 'alarms'>, { name, env }: NamedEnvironment) {
  const names = watchedAlarmNames(env, planRollout(env, { kind: 'deploy' }));
  if (names.length === 0) return;
  const found = new Set((await ports.alarms.describeAlarms(names)).map((alarm) => alarm.name));
  const missing = names.filter((alarm) => !found.has(alarm));
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw new GateRefusedError(
      name,
      'alarms',
      `CloudWatch has no alarm ${list} (gates.alarms names it); create it or fix the name`,
    );
  }
}

/**
 * The environment's gates judged for a release about to roll out. Every gate passes, or each refusal
 * is overridden by a principal on the `override` list: the passes are returned for the rollout to
 * record. Otherwise the first refusal is thrown (GateRefusedError), naming the gate and its evidence.
 */
export async function checkReleaseGates(
  ports: GatePorts,
  target: NamedEnvironment,
  release: Release,
  override?: GateOverride,
): Promise<GatePass[]> {
  const gates = target.env.gates;
  if (!gates) return [];
  if (override && !mayOverride(gates, override.principal)) {
    throw new OverrideNotAllowedError(target.name, override.principal);
  }
  await refuseMissingAlarms(ports, target);
  const verdicts = [
    ...(await scanVerdicts(ports, target, release)),
    ...(await promotionVerdicts(ports, target, release)),
  ];
  const { passes, refused } = gatePasses(verdicts, override);
  if (refused) throw new GateRefusedError(target.name, refused.gate, refused.evidence);
  return passes;
}
