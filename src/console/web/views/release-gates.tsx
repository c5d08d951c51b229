import type { ReleaseView } from '../api-types.js';
import { clock, who } from '../format.js';
import { alarmWatchSaid, gateOutcomeSaid, gateWord } from '../words.js';
import { Badge } from './badge.js';

/**
 * Each gate the release went through before its rollout (passed on its evidence, or overridden by
 * whom and why) — or, while it waits for approval, the gates it passed so far and the wait — and the
 * alarms its deploy watches through the steps and the bake.
 */
export function ReleaseGates({ release, now }: { release: ReleaseView; now: number }) {
  const awaiting = release.state === 'AWAITING_APPROVAL' ? release.approval : undefined;
  const gates = awaiting?.passes ?? release.rollout?.gates ?? [];
  const watch = awaiting ? undefined : release.rollout?.watch;
  if (gates.length === 0 && !watch && !awaiting) return null;
  return (
    <>
      <h2>Gates</h2>
      <table class="grid" aria-label="release gates">
        <tbody>
          {gates.map((pass) => (
            <tr key={pass.gate}>
              <th scope="row">{gateWord(pass.gate)}</th>
              <td>
                <Badge said={gateOutcomeSaid(pass.outcome)} />{' '}
                <span class="small">
                  {pass.evidence}
                  {pass.override ? ` — overridden by ${who(pass.override.principal)}: ${pass.override.reason}` : ''}
                </span>
              </td>
            </tr>
          ))}
          {awaiting && (
            <tr>
              <th scope="row">{gateWord('approval')}</th>
              <td>
                <Badge said={gateOutcomeSaid('awaited')} />{' '}
                <span class="small">
                  asked by {who(awaiting.requestedBy)}; expires {clock(awaiting.expiresAt, now)}
                </span>
              </td>
            </tr>
          )}
          {watch && (
            <tr>
              <th scope="row">alarms</th>
              <td>
                <Badge said={alarmWatchSaid(watch, release, now)} />
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
