import { describe, expect, it } from 'vitest';
import {
  chainStaleAfterMs,
  decideChainStep,
  nextTick,
  parseTick,
  type Heartbeat,
} from '../../../src/domain/autoscale-chain.js';

const NOW = new Date('2026-11-27T10:00:00Z');
const RECHECK = 15;
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const beat = (seq: number, agoSeconds: number, chainId = 'a'): Heartbeat => ({
  chainId,
  seq,
  at: secondsAgo(agoSeconds),
});
const decide = (trigger: Parameters<typeof decideChainStep>[0], stored: Heartbeat | undefined) =>
  decideChainStep(trigger, stored, NOW, RECHECK, () => 'new');
const tick = (seq: number, chainId = 'a') => ({ kind: 'tick' as const, tick: { chainId, seq } });

describe('decideChainStep', () => {
  it('the schedule starts a chain at seq 0 when there is none', () => {
    expect(decide({ kind: 'schedule' }, undefined)).toEqual({
      action: 'start',
      tick: { chainId: 'new', seq: 0 },
      staleBefore: secondsAgo(45),
    });
  });

  it('the schedule does nothing while the chain beats within two re-checks and the margin', () => {
    expect(decide({ kind: 'schedule' }, beat(7, 44))).toEqual({ action: 'none', reason: 'chain alive' });
    expect(decide({ kind: 'schedule' }, beat(7, 45))).toEqual({ action: 'none', reason: 'chain alive' });
  });

  it('the schedule replaces a chain that went quiet, with a new chain id', () => {
    expect(decide({ kind: 'schedule' }, beat(7, 46))).toMatchObject({
      action: 'start',
      tick: { chainId: 'new', seq: 0 },
    });
  });

  it('a tick renews the chain when the heartbeat is its predecessor', () => {
    expect(decide(tick(8), beat(7, 15))).toEqual({ action: 'advance', tick: { chainId: 'a', seq: 8 } });
    // However late it comes: a late tick of the live chain still continues it.
    expect(decide(tick(8), beat(7, 600))).toEqual({ action: 'advance', tick: { chainId: 'a', seq: 8 } });
  });

  it('a duplicate of a tick that already ran ends there', () => {
    expect(decide(tick(7), beat(7, 1))).toEqual({ action: 'none', reason: 'already run' });
    expect(decide(tick(3), beat(7, 1))).toEqual({ action: 'none', reason: 'already run' });
  });

  it('a tick of a replaced chain, or with no chain stored, ends there', () => {
    expect(decide(tick(8, 'old'), beat(7, 1))).toEqual({ action: 'none', reason: 'other chain' });
    expect(decide(tick(8), undefined)).toEqual({ action: 'none', reason: 'no chain' });
    expect(decide(tick(9), beat(7, 1))).toEqual({ action: 'none', reason: 'out of order' });
  });

  it('staleness follows the re-check interval', () => {
    expect(chainStaleAfterMs(15)).toBe(45_000);
    expect(chainStaleAfterMs(60)).toBe(135_000);
  });
});

describe('ticks', () => {
  it('the next tick is the same chain, one further', () => {
    expect(nextTick({ chainId: 'a', seq: 4 })).toEqual({ chainId: 'a', seq: 5 });
  });

  it('parses a tick message and refuses anything else', () => {
    expect(parseTick('{"chainId":"a","seq":3}')).toEqual({ chainId: 'a', seq: 3 });
    for (const body of ['', 'nope', 'null', '{"chainId":"a"}', '{"chainId":"","seq":1}', '{"chainId":"a","seq":-1}'])
      expect(parseTick(body)).toBeUndefined();
  });
});
