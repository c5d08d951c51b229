import type { Claims } from '../use-cases/ports.js';
import { releasePk } from './release-repository.js';
import type { StateTable } from './state-table.js';

/** Short leases at `RELEASE#<id>`/`CLAIM#<action>`: one invocation performs a given AWS write. */
export function createClaims(table: StateTable): Claims {
  return {
    claim: (releaseId, action, owner, leaseSeconds, now) =>
      table.acquireLease(releasePk(releaseId), `CLAIM#${action}`, owner, leaseSeconds, now),
    giveBack: (releaseId, action, owner) => table.releaseLease(releasePk(releaseId), `CLAIM#${action}`, owner),
  };
}
