import type { Heartbeat } from '../domain/autoscale-chain.js';
import type { ChainHeartbeat } from '../use-cases/ports.js';
import type { StateTable } from './state-table.js';

/** The one heartbeat of the autoscaler's tick chain, for the whole stack. */
const KEY = { pk: 'AUTOSCALE', sk: 'CHAIN' };

const itemOf = ({ chainId, seq, at }: Heartbeat) => ({ ...KEY, chainId, seq, at: at.getTime() });

/** The heartbeat at `AUTOSCALE`/`CHAIN` (`at` in epoch milliseconds), every write conditional. */
export function createChainHeartbeat(table: StateTable): ChainHeartbeat {
  async function read(): Promise<Heartbeat | undefined> {
    const item = await table.getItem(KEY.pk, KEY.sk);
    return item && { chainId: String(item.chainId), seq: Number(item.seq), at: new Date(Number(item.at)) };
  }

  const start = (heartbeat: Heartbeat, staleBefore: Date) =>
    table.putIf(
      itemOf(heartbeat),
      'attribute_not_exists(pk) OR #at < :stale',
      { '#at': 'at' },
      {
        ':stale': staleBefore.getTime(),
      },
    );

  const advance = (heartbeat: Heartbeat) =>
    table.putIf(
      itemOf(heartbeat),
      '#chainId = :chainId AND #seq = :previous',
      { '#chainId': 'chainId', '#seq': 'seq' },
      {
        ':chainId': heartbeat.chainId,
        ':previous': heartbeat.seq - 1,
      },
    );

  return { read, start, advance };
}
