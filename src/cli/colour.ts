/**
 * Colour and symbols for a person at a terminal: never when output is piped or NO_COLOR is set
 * (https://no-color.org), so scripts and logs read plain text. Symbols are text the tables measure
 * (renderers put them in cells through a `Mark`); colour is applied to the finished text, where
 * ANSI codes take no columns, so tables stay aligned either way.
 */

const CODES = { red: 31, green: 32, yellow: 33, bold: 1 } as const;
type Colour = keyof typeof CODES;

const paint = (colour: Colour, text: string) => `\x1b[${String(CODES[colour])}m${text}\x1b[0m`;

const DONE = 'COMPLETED|SUCCEEDED|BUILT';
const FAILED = 'FAILED|FAULT|TIMED_OUT|STOPPED|MISSING|ROLLED_BACK';
const MOVING = 'DEPLOYING|BAKING|BUILDING|IN_PROGRESS|PENDING';
/** A state word, with the symbol a `Mark` may have put before it. */
const state = (words: string) => new RegExp(`(?:[✔✖●] )?\\b(?:${words})\\b`, 'g');

const STATE_COLOURS: [RegExp, Colour][] = [
  [state(`${DONE}|ACTIVE`), 'green'],
  [state(FAILED), 'red'],
  [state(`${MOVING}|DRAINING`), 'yellow'],
];

const STATE_SYMBOLS: [RegExp, string][] = [
  [new RegExp(`\\b(?:${DONE})\\b`, 'g'), '✔'],
  [new RegExp(`\\b(?:${FAILED})\\b`, 'g'), '✖'],
  [new RegExp(`\\b(?:${MOVING})\\b`, 'g'), '●'],
];

/** Whether to colour: a terminal, NO_COLOR unset or empty, and a terminal that can. */
export function colourWanted(io: { isTTY: boolean; env: NodeJS.ProcessEnv }): boolean {
  return io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

/** Puts a state's symbol before each release, build or service state in a piece of text (a table cell). */
export type Mark = (text: string) => string;

/** No symbols: the text as it is. */
export const plain: Mark = (text) => text;

/** ✔ done, ✖ failed, ● under way — on a terminal that wants colour; else `plain`. */
export function stateMarks(wanted: boolean): Mark {
  if (!wanted) return plain;
  return (text) =>
    STATE_SYMBOLS.reduce((marked, [pattern, symbol]) => marked.replace(pattern, (word) => `${symbol} ${word}`), text);
}

/** Release, build and service states (with their symbols) in their colours. */
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
