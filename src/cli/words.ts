/** The CLI's words for what the API calls otherwise: flags for fields, readable times, plurals. */

export { plural } from '../domain/plural.js';

/**
 * Text AWS or a user wrote, fit for a terminal: control characters (escape sequences among them)
 * become visible `\xNN` escapes instead of moving the cursor or recolouring the screen.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** `2026-11-25 15:04:05 UTC` for an ISO time (no milliseconds); anything else as it is. */
export function humanTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How the user ran the CLI, to repeat in hints: `npx ecs-conductor` under npx / npm exec. */
export function invokedAs(env: NodeJS.ProcessEnv): string {
  return env.npm_command === 'exec' ? 'npx ecs-conductor' : 'ecs-conductor';
}

/** API request fields as the CLI's flags and arguments spell them. */
const FLAGS: [RegExp, string][] = [
  [/^body\.confirm$/, '--confirm'],
  [/^body\.task$/, '--task'],
  [/^body\.holdMinutes$/, '--hold-minutes'],
  [/^body\.desiredCount$/, 'COUNT'],
  [/^body\.version$/, 'VERSION'],
  [/^body\.entrypoints(\.\d+)?$/, '--entrypoint'],
  [/^query\.limit$/, '--limit'],
  [/^query\.cursor$/, '--cursor'],
  [/^env(ironment)?$/, 'ENV'],
  [/^service$/, 'SERVICE'],
];

/** `body.confirm` → `--confirm`; a path the CLI has no word for stays as the API says it. */
export function flagFor(path: string): string {
  return FLAGS.find(([pattern]) => pattern.test(path))?.[1] ?? path;
}

/** An API message's `ecs-conductor …` hints, as the user invoked the CLI. */
export function asInvoked(text: string, invoked: string): string {
  return invoked === 'ecs-conductor' ? text : text.replace(/(?<![\w-])ecs-conductor /g, `${invoked} `);
}
