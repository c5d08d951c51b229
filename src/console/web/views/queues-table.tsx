import type { ComponentChildren } from 'preact';
import type { QueueStatus } from '../api-types.js';
import { ago, clock, who } from '../format.js';

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
                <div class="warn-text">
                  held at {queue.hold.desiredCount} until {clock(queue.hold.until)}
                  {queue.hold.by ? ` by ${who(queue.hold.by)}` : ''}
                </div>
              )}
              {queue.lastDecision ? (
                <div title={queue.lastDecision.reason}>
                  {queue.lastDecision.desiredCount} tasks, {ago(queue.lastDecision.at)}: {queue.lastDecision.reason}
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
