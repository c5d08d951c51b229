import { printable } from '../../src/cli/words.js';
import type { Release } from '../../src/domain/release.js';

/**
 * What `npm start` prints once its banner is out. Quiet (the default): one line per thing that
 * happened — a release that changed state, a scaling decision that changed a count, a request that
 * changes something (POST, DELETE) and its status, an error or a warning. Verbose (`npm start -- --verbose`, or CONDUCTOR_VERBOSE=1): serverless-offline's whole
 * output as well (every request, schedule, tick and Lambda log line).
 */
export type LocalOutput = 'quiet' | 'verbose';

const VERBOSE_FLAG = '--verbose';

export function localOutputOf(argv: readonly string[], env: NodeJS.ProcessEnv): LocalOutput {
  const fromEnv = env.CONDUCTOR_VERBOSE;
  return argv.includes(VERBOSE_FLAG) || (fromEnv !== undefined && !['', '0', 'false'].includes(fromEnv))
    ? 'verbose'
    : 'quiet';
}

/** `HH:MM:SS` of an ISO time (UTC, as the Lambdas log). */
const clock = (at: Date): string => at.toISOString().slice(11, 19);

/** serverless-offline's own lines that only say a function ran. */
const NOT_AN_ERROR = /^\(λ: |^Successfully invoked scheduled function|^Scheduling \[/;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ERROR_WORDS = /\b(error|exception|fatal|failed|unhandled)\b|✖/i;

function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function errorMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'message' in value) return text(value.message);
  return '';
}

/**
 * One line of serverless-offline's output as the quiet mode prints it, or undefined when it tells of
 * nothing that happened (a request served, a tick, a metric, a decision to keep a count).
 */
export function quietLine(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  const json = jsonLine(trimmed);
  if (!json) return NOT_AN_ERROR.test(trimmed) || !ERROR_WORDS.test(trimmed) ? undefined : printable(trimmed);
  const at = clock(new Date(text(json.timestamp) || Date.now()));
  const where = [text(json.environment), text(json.serviceKey)].filter((part) => part !== '').join(' ');
  const level = text(json.level);
  if (level === 'ERROR' || level === 'WARN') {
    const error = errorMessage(json.error);
    return printable(
      `${at}  ${level.toLowerCase()}  ${text(json.message)}${where ? ` (${where})` : ''}${error ? `: ${error}` : ''}`,
    );
  }
  // What an operator asked for that changes things (a deploy, a scale, a rollback), and its answer.
  if (json.message === 'request' && !READS.has(text(json.method)))
    return printable(`${at}  ${text(json.method)} ${text(json.path)} → ${String(json.status)}`);
  if (json.message === 'scaling decision' && json.change === true)
    return printable(`${at}  ${where}: ${text(json.reason)}`);
  return undefined;
}

/** What a release's line names: its state, and why it failed when it did. */
function stateOf(release: Release): string {
  const failure = release.failure ? `: ${printable(release.failure.reason)}` : '';
  return `${release.state}${failure}`;
}

/**
 * Lines for the releases whose state changed since they were last seen (a new one counts), newest
 * last; `seen` remembers each release's state between calls.
 */
export function releaseChanges(seen: Map<string, string>, releases: readonly Release[], now: Date): string[] {
  const lines: string[] = [];
  for (const release of [...releases].reverse()) {
    const state = stateOf(release);
    const before = seen.get(release.id);
    if (before === state) continue;
    seen.set(release.id, state);
    const change = before === undefined ? state : `${before.split(':')[0] ?? before} → ${state}`;
    lines.push(`${clock(now)}  ${release.environment} ${release.version} (${release.id}): ${change}`);
  }
  return lines;
}
