import { decideChainStep, nextTick, type ChainStep, type ChainTrigger } from '../domain/autoscale-chain.js';
import type { AutoscaleChainPorts } from './ports.js';

export interface ChainOutcome {
  step: ChainStep;
  /** True when this invocation won the heartbeat write, made the pass and sent the next tick. */
  ran: boolean;
}

/**
 * One invocation of the autoscaler: read the chain's heartbeat → decide (pure) → win the
 * conditional write → one pass → the next tick, delayed by `recheckSeconds`. A pass that throws
 * still renews the chain (`onPassError` reports it): a broken pass must not stop the re-checks. A
 * crash between the write and the send loses the tick; the schedule starts a new chain once the
 * heartbeat goes stale.
 */
export async function driveAutoscaleChain(
  ports: AutoscaleChainPorts,
  trigger: ChainTrigger,
  recheckSeconds: number,
  pass: () => Promise<void>,
  onPassError: (error: unknown) => void,
): Promise<ChainOutcome> {
  const now = ports.now();
  const step = decideChainStep(trigger, await ports.heartbeat.read(), now, recheckSeconds, ports.newChainId);
  if (step.action === 'none') return { step, ran: false };
  const heartbeat = { ...step.tick, at: now };
  const won =
    step.action === 'start'
      ? await ports.heartbeat.start(heartbeat, step.staleBefore)
      : await ports.heartbeat.advance(heartbeat);
  if (!won) return { step, ran: false };
  try {
    await pass();
  } catch (error) {
    onPassError(error);
  }
  await ports.ticks.send(nextTick(step.tick), recheckSeconds);
  return { step, ran: true };
}
