/**
 * Colour and symbols for a person at a terminal: never when output is piped or NO_COLOR is set
 * (https://no-color.org), so scripts and logs read plain text. Applied to finished text: ANSI codes
 * take no columns, so tables stay aligned.
 */

const CODES = { red: 31, green: 32, yellow: 33, bold: 1 } as const;
type Colour = keyof typeof CODES;

const paint = (colour: Colour, text: string) => `\x1b[${String(CODES[colour])}m${text}\x1b[0m`;

const STATE_COLOURS: [RegExp, Colour][] = [
  [/\b(COMPLETED|SUCCEEDED|BUILT|ACTIVE)\b/g, 'green'],
  [/\b(FAILED|FAULT|TIMED_OUT|STOPPED|MISSING|ROLLED_BACK)\b/g, 'red'],
  [/\b(DEPLOYING|BUILDING|IN_PROGRESS|PENDING|DRAINING)\b/g, 'yellow'],
];

/** Whether to colour: a terminal, NO_COLOR unset or empty, and a terminal that can. */
export function colourWanted(io: { isTTY: boolean; env: NodeJS.ProcessEnv }): boolean {
  return io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

/** Release, build and service states in their colours. */
export function colourStates(text: string, wanted: boolean): string {
  if (!wanted) return text;
  return STATE_COLOURS.reduce(
    (coloured, [pattern, colour]) => coloured.replace(pattern, (word) => paint(colour, word)),
    text,
  );
}

/** An error's first line marked with a red ✖. */
export function colourError(text: string, wanted: boolean): string {
  return wanted ? text.replace(/^error:/, `${paint('red', '✖')} ${paint('bold', 'error:')}`) : text;
}
