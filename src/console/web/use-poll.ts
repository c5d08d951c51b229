import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiProblem } from './api.js';

/**
 * Live data: `load` now, then again every `intervalMs` while the tab is visible, so the page follows
 * the API without a reload. `intervalMs` undefined stops polling (e.g. a release that has settled).
 * The last good data stays on screen while a later poll fails; the failure is shown beside it.
 */
export interface Polled<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  /** Loads again now (after an action). */
  refresh: () => void;
}

export function usePoll<T>(load: () => Promise<T>, intervalMs: number | undefined, key: string): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    setData(undefined);
    setProblem(undefined);
  }, [key]);

  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (value) => {
        if (!live) return;
        setData(value);
        setProblem(undefined);
      },
      (error: unknown) => {
        if (live) setProblem(error as ApiProblem);
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick]);

  useEffect(() => {
    if (intervalMs === undefined) return undefined;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((value) => value + 1);
    }, intervalMs);
    return () => {
      window.clearInterval(timer);
    };
  }, [key, intervalMs]);

  const refresh = useCallback(() => {
    setTick((value) => value + 1);
  }, []);
  return { data, problem, refresh };
}
