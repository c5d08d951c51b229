import type { ComponentChildren } from 'preact';
import type { QueueStatus } from '../api-types.js';
import { decisionSaid, holdSaid } from '../words.js';

/** Each queue: backlog, bounds, the autoscaler's last decision and any manual hold. */
export function QueuesTable({
  queues,
  actions,
}: {
  queues: QueueStatus[];
  actions?: (queue: QueueStatus) => ComponentChildren;
}) {
  if (queues.length === 0) return null;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">queue</th>
          <th scope="col" class="num">
            visible · in flight · delayed
          </th>
          <th scope="col" class="num">
            tasks min–max
          </th>
          <th scope="col">autoscaler</th>
          {actions && <th scope="col">actions</th>}
        </tr>
      </thead>
      <tbody>
        {queues.map((queue) => (
          <tr key={queue.key}>
            <th scope="row">
              {queue.key} <span class="muted small">→ {queue.service}</span>
            </th>
            <td class="num">
              {queue.visible} · {queue.inFlight} · {queue.delayed}
            </td>
            <td class="num">
              {queue.minTasks}–{queue.maxTasks}
            </td>
            <td class="small">
              {queue.hold && (
                <div>
                  <HoldLine hold={queue.hold} />
                </div>
              )}
              {queue.lastDecision ? (
                <div
                  title={queue.lastDecision.reason}
                  class={
                    queue.hold && queue.hold.desiredCount !== queue.lastDecision.desiredCount ? 'muted' : undefined
                  }
                >
                  {decisionSaid(queue.lastDecision, queue.hold)}
                </div>
              ) : (
                <span class="muted">no decision yet</span>
              )}
            </td>
            {actions && <td>{actions(queue)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A manual hold in force, in the warning colour: the autoscaler leaves the count alone until it ends. */
export function HoldLine({ hold }: { hold: NonNullable<QueueStatus['hold']> }) {
  return <span class="warn-text">{holdSaid(hold)}</span>;
}
