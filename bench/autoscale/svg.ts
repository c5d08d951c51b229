/** Small SVG helpers for the hand-written charts (no chart library). */
export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const round = (value: number): string => String(Math.round(value * 10) / 10);

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const text = (x: number, y: number, content: string, attributes = ''): string =>
  `<text x="${round(x)}" y="${round(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;

/** One value per pixel column as a polyline, values above `maximum` drawn at the top; flat runs keep their ends. */
export function polyline(box: Box, values: readonly number[], maximum: number, style: string): string {
  const columnWidth = box.width / Math.max(1, values.length);
  const yOf = (value: number): number => box.y + box.height - (Math.min(value, maximum) / maximum) * box.height;
  const points: string[] = [];
  values.forEach((value, index) => {
    const flat = value === values[index - 1] && value === values[index + 1];
    if (!flat) points.push(`${round(box.x + (index + 0.5) * columnWidth)},${round(yOf(value))}`);
  });
  return `<polyline fill="none" ${style} points="${points.join(' ')}"/>`;
}

/** The panel's frame, title, y range and time ticks at `ticks` (fractions of the width with labels). */
export function frame(
  box: Box,
  title: string,
  maximum: string,
  ticks: readonly { at: number; label: string }[],
): string {
  const bottom = box.y + box.height;
  return [
    text(box.x, box.y - 6, title, 'font-weight="bold"'),
    `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="#bbb"/>`,
    text(box.x - 4, box.y + 9, maximum, 'text-anchor="end"'),
    text(box.x - 4, bottom, '0', 'text-anchor="end"'),
    ...ticks.flatMap(({ at, label }) => {
      const x = box.x + at * box.width;
      return [
        `<line x1="${round(x)}" y1="${bottom}" x2="${round(x)}" y2="${bottom + 4}" stroke="#333"/>`,
        text(x, bottom + 15, label, 'text-anchor="middle"'),
      ];
    }),
  ].join('\n');
}
