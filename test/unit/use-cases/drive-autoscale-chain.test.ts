import { describe, expect, it } from 'vitest';
import type { ChainTrigger } from '../../../src/domain/autoscale-chain.js';
import { driveAutoscaleChain } from '../../../src/use-cases/drive-autoscale-chain.js';
import { inMemoryWorld, type InMemoryWorld } from '../../support/in-memory-ports.js';

const RECHECK = 15;

/** Runs one invocation; counts the passes it made. */
function invoker(world: InMemoryWorld, pass: () => Promise<void> = () => Promise.resolve()) {
  const record = { passes: 0, errors: [] as unknown[] };
  const invoke = (trigger: ChainTrigger) =>
    driveAutoscaleChain(
      world.autoscaleChainPorts(),
      trigger,
      RECHECK,
      async () => {
        record.passes += 1;
        await pass();
      },
      (error) => record.errors.push(error),
    );
  return { record, invoke };
}

/** Delivers the last tick sent, as the queue would after its delay. */
function lastTick(world: InMemoryWorld): ChainTrigger {
  const sent = world.chain.sent.at(-1);
  if (!sent) throw new Error('no tick sent');
  return { kind: 'tick', tick: sent.tick };
}

describe('driveAutoscaleChain', () => {
  it('the schedule starts a chain: a pass, the heartbeat, and the next tick delayed by the re-check', async () => {
    const world = inMemoryWorld();
    const { record, invoke } = invoker(world);
    expect(await invoke({ kind: 'schedule' })).toMatchObject({ ran: true, step: { action: 'start' } });
    expect(record.passes).toBe(1);
    expect(world.chain.heartbeat).toEqual({ chainId: 'chain-1', seq: 0, at: world.autoscaleChainPorts().now() });
    expect(world.chain.sent).toEqual([{ tick: { chainId: 'chain-1', seq: 1 }, delaySeconds: RECHECK }]);
  });

  it('each tick renews the chain; the schedule meanwhile does nothing', async () => {
    const world = inMemoryWorld();
    const { record, invoke } = invoker(world);
    await invoke({ kind: 'schedule' });
    for (let n = 0; n < 4; n += 1) {
      world.advance(RECHECK * 1000);
      await invoke(lastTick(world));
      await invoke({ kind: 'schedule' });
    }
    expect(record.passes).toBe(5);
    expect(world.chain.heartbeat).toMatchObject({ chainId: 'chain-1', seq: 4 });
    expect(world.chain.sent.map((sent) => sent.tick.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a duplicated tick runs once and sends one successor', async () => {
    const world = inMemoryWorld();
    const { record, invoke } = invoker(world);
    await invoke({ kind: 'schedule' });
    const duplicate = lastTick(world);
    const outcomes = await Promise.all([invoke(duplicate), invoke(duplicate)]);
    expect(outcomes.map((outcome) => outcome.ran).sort()).toEqual([false, true]);
    expect(record.passes).toBe(2);
    expect(world.chain.sent.map((sent) => sent.tick)).toEqual([
      { chainId: 'chain-1', seq: 1 },
      { chainId: 'chain-1', seq: 2 },
    ]);
  });

  it('a lost tick: the schedule replaces the quiet chain, and the old chain`s late tick ends', async () => {
    const world = inMemoryWorld();
    const { record, invoke } = invoker(world);
    await invoke({ kind: 'schedule' });
    const lost = lastTick(world);
    world.advance(60_000);
    expect(await invoke({ kind: 'schedule' })).toMatchObject({ ran: true, step: { tick: { chainId: 'chain-2' } } });
    expect(await invoke(lost)).toMatchObject({ ran: false, step: { reason: 'other chain' } });
    expect(record.passes).toBe(2);
    expect(world.chain.heartbeat).toMatchObject({ chainId: 'chain-2', seq: 0 });
    expect(world.chain.sent.at(-1)?.tick).toEqual({ chainId: 'chain-2', seq: 1 });
  });

  it('two schedules on a quiet chain start one chain', async () => {
    const world = inMemoryWorld();
    const { record, invoke } = invoker(world);
    const outcomes = await Promise.all([invoke({ kind: 'schedule' }), invoke({ kind: 'schedule' })]);
    expect(outcomes.filter((outcome) => outcome.ran)).toHaveLength(1);
    expect(record.passes).toBe(1);
    expect(world.chain.sent).toHaveLength(1);
  });

  it('a pass that throws is reported and the chain still renews', async () => {
    const world = inMemoryWorld();
    const { record, invoke } = invoker(world, () => Promise.reject(new Error('ECS is down')));
    await invoke({ kind: 'schedule' });
    expect(record.errors).toEqual([new Error('ECS is down')]);
    expect(world.chain.sent.map((sent) => sent.tick.seq)).toEqual([1]);
  });

  it('a tick whose send fails leaves the heartbeat to go stale, and the schedule heals the chain', async () => {
    const world = inMemoryWorld({ failOnce: ['sendTick'] });
    const { invoke } = invoker(world);
    await expect(invoke({ kind: 'schedule' })).rejects.toThrow('sendTick failed');
    expect(world.chain.sent).toEqual([]);
    world.advance(30_000);
    expect(await invoke({ kind: 'schedule' })).toMatchObject({ ran: false });
    world.advance(30_000);
    expect(await invoke({ kind: 'schedule' })).toMatchObject({ ran: true, step: { tick: { chainId: 'chain-2' } } });
    expect(world.chain.sent).toHaveLength(1);
  });
});
