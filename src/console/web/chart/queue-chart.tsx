import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { ScalingHistory } from '../../../contract/scaling-history.js';
import { api, apiPath } from '../api.js';
import type { QueueStatus } from '../api-types.js';
import { clock } from '../format.js';
import { holdSaid, plural } from '../words.js';
import { usePoll } from '../use-poll.js';
import { Problem } from '../views/problem.js';
import { chartData } from './chart-data.js';
import { queueChartOptions } from './uplot-options.js';

const HOURS = 6;
const POLL_MS = 30_000;

/** The queue's messages beside its service's tasks over the last hours, each scaling decision explained on hover. */
export function QueueChart({ environment, queue }: { environment: string; queue: QueueStatus }) {
  const path = `${apiPath('environments', environment, 'services', queue.service)}/scaling-history?hours=${HOURS}`;
  const { data, problem } = usePoll(() => api<ScalingHistory>('GET', path), POLL_MS, path);
  return (
    <figure class="chart" aria-label={`queue ${queue.key} and ${queue.service} tasks, last ${HOURS} hours`}>
      <figcaption>
        {queue.key}: messages and {queue.service} tasks, last {HOURS} hours
      </figcaption>
      <Problem problem={problem} />
      {data && <ChartCanvas history={data} hold={queue.hold} />}
    </figure>
  );
}

function ChartCanvas({ history, hold }: { history: ScalingHistory; hold: QueueStatus['hold'] }) {
  const target = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const shaped = chartData(history);
  const shapedRef = useRef(shaped);
  shapedRef.current = shaped;
  const windowEnd = useRef(Date.parse(history.to) / 1000);
  windowEnd.current = Date.parse(history.to) / 1000;

  useEffect(() => {
    const element = target.current;
    if (!element) return undefined;
    const made = new uPlot(
      queueChartOptions(element.clientWidth || 600, setHovered, () => windowEnd.current),
      shapedRef.current.columns,
      element,
    );
    chart.current = made;
    const resize = new ResizeObserver(() => {
      made.setSize({ width: element.clientWidth, height: 240 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setData(shaped.columns);
  }, [history]);

  const explained = hovered === null ? [] : (shaped.decisionsAt.get(hovered) ?? []);
  return (
    <>
      <div ref={target} class="chart-canvas" />
      <p class="decision-tip small" aria-live="polite">
        {explained
          .map(
            (decision) =>
              `${clock(decision.at)}: ${decision.from} → ${plural(decision.to, 'task')} — ${decision.reason}`,
          )
          .join(' · ') || '\u00a0'}
      </p>
      {history.samples.length === 0 && (
        <p class="muted small">No sample in the last {HOURS} hours: the autoscaler has not looked at this queue yet.</p>
      )}
      <details>
        <summary class="small">
          {plural(history.decisions.length + (hold ? 1 : 0), 'scaling decision')}
          {hold ? ', a manual hold among them' : ''}
        </summary>
        <ul class="small">
          {history.decisions.map((decision) => (
            <li key={decision.at}>
              <time dateTime={decision.at}>{clock(decision.at)}</time> {decision.from} → {decision.to}:{' '}
              {decision.reason}
            </li>
          ))}
          {hold && (
            <li class="warn-text">now: {holdSaid(hold)} (manual hold: the autoscaler leaves the count alone)</li>
          )}
        </ul>
      </details>
    </>
  );
}
