/** Markdown tables, for the console and for bench/RESULTS.md alike. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? ':--' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
export const kb = (bytes: number): string => (bytes / 1000).toFixed(1);
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const verdict = (met: boolean): string => (met ? 'met' : '**not met**');
