import type * as z from 'zod';
import type { adoptionViewSchema, releaseBuildsViewSchema, ReleaseView } from '../contract/api.js';
import { ApiError } from '../api-client/api-client.js';
import { plain, type Mark } from './colour.js';
import { asInvoked, flagFor, humanTime, printable } from './words.js';

/** Human output of the CLI: aligned tables and short lines. `--json` bypasses all of this. */

/** The width human output keeps to: a status or a table fits a 100-column terminal. */
export const OUTPUT_WIDTH = 100;

/** `text` in at most `width` characters, its middle elided: a task definition keeps its revision, a digest its ends. */
export function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/**
 * Aligned columns. With `fit`, the widest of the `shrinkable` columns (never a coloured one) gives up
 * characters, its cells shortened in the middle, until each line fits `fit` columns.
 */
export function table(header: string[], rows: string[][], fit?: { width: number; shrinkable: number[] }): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const total = () => widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
  while (fit && total() > fit.width) {
    const widest = fit.shrinkable.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
    const floor = Math.max(header[widest]?.length ?? 0, 8);
    if ((widths[widest] ?? 0) <= floor) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const fitted = fit?.shrinkable.includes(column) ? shorten(cell, widths[column] ?? 0) : cell;
        return column === cells.length - 1 ? fitted : fitted.padEnd(widths[column] ?? 0);
      })
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `text` wrapped at word boundaries to `width` columns, each line after the first indented by `hang`. */
export function wrap(text: string, width = OUTPUT_WIDTH, hang = 2): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const room = width - (lines.length === 0 ? 0 : hang);
    if (current !== '' && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
    // A word longer than a line (a URL, a digest) is cut where the line ends.
    while (current.length > width - (lines.length === 0 ? 0 : hang)) {
      const cut = width - (lines.length === 0 ? 0 : hang);
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  lines.push(current);
  return lines.map((line, index) => (index === 0 ? line : `${' '.repeat(hang)}${line}`)).join('\n');
}

/** Every line of `text` indented by `spaces`, and no indent after its final newline. */
export function indent(text: string, spaces: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(spaces));
}

/** Where a release stands: its latest timeline step. */
export function currentStep(release: ReleaseView): string {
  return release.timeline.at(-1)?.step ?? '(no step yet)';
}

export const dash = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '-' : String(value);

/** `1h 02m 05s`, `3m 07s`, `12s`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  return m > 0 ? `${m}m ${pad(s)}s` : `${s}s`;
}

/** The release a 409 says holds the environment (`active release rel-…`), to follow before trying again. */
function holdingRelease(error: ApiError): string | undefined {
  for (const detail of error.details) {
    const held = /^active release (rel-[0-9a-f]{20})$/.exec(detail.message);
    if (held) return held[1];
  }
  return undefined;
}

/** An error as `--json` prints it: one JSON object, whatever went wrong. */
export function errorAsJson(error: unknown): string {
  const body =
    error instanceof ApiError
      ? {
          status: error.status,
          code: error.code,
          message: error.message,
          details: error.details,
          ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
          ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
        }
      : {
          code: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : String(error),
        };
  return `${JSON.stringify({ error: body }, null, 2)}\n`;
}

/** An error as the user can act on it: the API's fields as the CLI's flags, hints as the CLI was invoked. */
export function renderError(error: unknown, invoked = 'ecs-conductor'): string {
  if (error instanceof ApiError) {
    const lines = [wrap(`error: ${error.status} ${error.code}: ${asInvoked(error.message, invoked)}`)];
    for (const detail of error.details)
      lines.push(indent(wrap(`${flagFor(detail.path)}: ${asInvoked(detail.message, invoked)}`, OUTPUT_WIDTH - 2), 2));
    const holder = error.status === 409 ? holdingRelease(error) : undefined;
    if (holder) lines.push(`  follow it: ${invoked} watch ${holder}, then run this command again`);
    if (error.retryAfter !== undefined) lines.push(`  retry after ${error.retryAfter} s`);
    if (error.requestId !== undefined) lines.push(`  request id ${error.requestId}`);
    return `${lines.join('\n')}\n`;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}\n`;
}

/** `nextPage`: the command that prints the next page, when there is one. */
export function renderReleaseList(releases: ReleaseView[], nextPage: string | undefined, mark: Mark = plain): string {
  if (releases.length === 0) return 'no releases\n';
  const rows = releases.map((release) => [
    release.id,
    release.version,
    mark(release.state),
    humanTime(release.createdAt),
    currentStep(release),
  ]);
  // The step gives way first: it is the latest of the timeline, which `release` prints whole.
  const fit = { width: OUTPUT_WIDTH, shrinkable: [4] };
  // The next page's command on a line of its own, never broken: a cursor may be longer than a line.
  return `${table(['RELEASE', 'VERSION', 'STATE', 'CREATED', 'STEP'], rows, fit)}${nextPage ? `more:\n  ${nextPage}\n` : ''}`;
}

/** A release in a few lines: what it is, where it stands, its builds and why it failed. */
export function renderRelease(release: ReleaseView, mark: Mark = plain): string {
  const lines = [
    `release ${release.id}: ${release.environment} ${release.version} ${mark(release.state)} — ${currentStep(release)}`,
  ];
  const builds = Object.entries(release.builds);
  if (builds.length > 0) {
    lines.push(
      ...table(
        ['ENTRYPOINT', 'TAG', 'BUILD', 'STATUS'],
        builds.map(([name, build]) => [name, dash(build.imageTag), dash(build.buildId), mark(dash(build.status))]),
        // Indented by two: a long build id gives way in the middle (`release` JSON has it whole).
        { width: OUTPUT_WIDTH - 2, shrinkable: [2] },
      )
        .trimEnd()
        .split('\n')
        .map((line) => `  ${line}`),
    );
  }
  if (release.failure) lines.push(...failureLines(release));
  return `${lines.join('\n')}\n`;
}

/** The reply of `adopt`: the baseline release and where the routine re-run clock starts. */
export function renderAdoption(adoption: z.output<typeof adoptionViewSchema>): string {
  const { release, current } = adoption;
  const width = Math.max(0, ...Object.keys(release.builds).map((entrypoint) => entrypoint.length));
  return [
    adoption.recordedNow
      ? `adopted: ${release.environment} runs ${release.version} (${release.id}), recorded as its current release\n`
      : `${release.environment} already runs ${release.version} (${release.id}): nothing recorded\n`,
    ...Object.entries(release.builds).map(
      ([entrypoint, build]) => `  ${entrypoint.padEnd(width)}  ${build.digest ?? '-'}\n`,
    ),
    current.deploymentTaskRunAt === null
      ? `${wrap('routine deployment task: ECS shows no run of it, so it is due: reconcile runs it within the hour unless a deploy runs it first (status says when)')}\n`
      : `routine deployment task last ran ${humanTime(current.deploymentTaskRunAt)}\n`,
  ].join('');
}

/** The reply of `build`: the release, its builds, and which of them this request started. */
export function renderBuildReply(
  reply: z.output<typeof releaseBuildsViewSchema>,
  invoked = 'ecs-conductor',
  mark: Mark = plain,
): string {
  const builds = table(
    ['ENTRYPOINT', 'TAG', 'BUILD', 'STATUS'],
    Object.entries(reply.builds).map(([name, build]) => [
      name,
      build.imageTag,
      dash(build.buildId),
      mark(build.status),
    ]),
  );
  return [
    `release ${reply.releaseId}: ${reply.environment} ${reply.version} ${mark(reply.state)}\n`,
    indent(builds, 2),
    reply.startedNow.length > 0
      ? `started builds of ${reply.startedNow.join(', ')}\n`
      : 'every build had been started already\n',
    `follow it: ${invoked} watch ${reply.releaseId} --until-built\n`,
  ].join('');
}

/** A release's timeline, one step a line, at times a person reads. */
export function renderTimeline(release: ReleaseView): string {
  const rows = release.timeline.map((entry) => [humanTime(entry.at), entry.step, entry.detail ?? '']);
  return `timeline\n${indent(table(['AT', 'STEP', 'DETAIL'], rows), 2)}`;
}

export function failureLines(release: ReleaseView): string[] {
  const { failure } = release;
  if (!failure) return [];
  const failed = wrap(`failed at ${printable(failure.step)}: ${printable(failure.reason)}`, OUTPUT_WIDTH - 2);
  return [
    ...failed.split('\n').map((line) => `  ${line}`),
    ...(failure.buildId ? [`  build ${failure.buildId}${failure.phase ? ` (phase ${failure.phase})` : ''}`] : []),
    ...(failure.logLink ? [`  logs ${failure.logLink}`] : []),
    ...abortLines(failure),
    ...(failure.rolledBackTo
      ? [
          `  rolled back automatically to ${printable(failure.rolledBackTo.version)} (${failure.rolledBackTo.releaseId})`,
        ]
      : []),
  ];
}

/** An abort: what ECS rolls back to, or that nothing moved in ECS (the bake ended there). */
function abortLines(failure: NonNullable<ReleaseView['failure']>): string[] {
  if (failure.kind !== 'aborted') return [];
  const back = failure.aborted?.rollsBackTo;
  return [
    back ? `  ECS rolls back to ${printable(back)}` : '  nothing was moving in ECS: its services run this release',
  ];
}

/** Any other JSON reply, as `key: value` lines (nested values as JSON). */
export function renderFields(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `${JSON.stringify(body, null, 2)}\n`;
  return `${Object.entries(body)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n')}\n`;
}
