import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { ScalingHistory } from '../../../contract/scaling-history.js';
import { api, apiPath } from '../api.js';
import type { QueueStatus } from '../api-types.js';
import { clock } from '../format.js';
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
      {data && <ChartCanvas history={data} />}
    </figure>
  );
}

function ChartCanvas({ history }: { history: ScalingHistory }) {
  const target = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const shaped = chartData(history);
  const shapedRef = useRef(shaped);
  shapedRef.current = shaped;

  useEffect(() => {
    const element = target.current;
    if (!element) return undefined;
    const made = new uPlot(
      queueChartOptions(element.clientWidth || 600, setHovered),
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
          .map((decision) => `${clock(decision.at)}: ${decision.from} → ${decision.to} tasks — ${decision.reason}`)
          .join(' · ') || '\u00a0'}
      </p>
      <details>
        <summary class="small">{history.decisions.length} scaling decisions</summary>
        <ul class="small">
          {history.decisions.map((decision) => (
            <li key={decision.at}>
              <time dateTime={decision.at}>{clock(decision.at)}</time> {decision.from} → {decision.to}:{' '}
              {decision.reason}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}
