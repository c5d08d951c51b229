/** Times and durations as a person reads them. */

/** `5d 03h`, `1h 02m`, `3m 07s`, `12s`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h >= 48) return `${Math.floor(h / 24)}d ${pad(h % 24)}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  return m > 0 ? `${m}m ${pad(s)}s` : `${s}s`;
}

/** `14:03:07` today, `3 Jun 14:03` before. */
export function clock(iso: string, now = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  if (new Date(now).toDateString() === date.toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time.slice(0, 5)}`;
}

/** `5s ago`, `3m ago`, `in 12m`. */
export function ago(iso: string, now = Date.now()): string {
  const delta = now - new Date(iso).getTime();
  if (Number.isNaN(delta)) return iso;
  return delta >= 0 ? `${duration(delta)} ago` : `in ${duration(-delta)}`;
}

/** `arn:aws:iam::1234:role/cgap-release` → `role/cgap-release`; `push:abc` stays. */
export function who(principal: string): string {
  return /^arn:aws[\w-]*:(iam|sts)::\d+:(.+)$/.exec(principal)?.[2] ?? principal;
}
