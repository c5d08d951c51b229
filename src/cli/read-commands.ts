import type { Command } from 'commander';
import {
  environmentListSchema,
  environmentStatusSchema,
  releasePageSchema,
  releaseViewSchema,
} from '../contract/api.js';
import { integer, path, seconds, type CommandKit } from './command-kit.js';
import { renderRelease, renderReleaseList, renderTimeline } from './render.js';
import { renderEnvironmentList, renderEnvironmentStatus } from './render-status.js';
import { releaseIdOf } from './release-reference.js';
import { watchRelease } from './watch.js';

const RELEASE_ARGUMENT = 'release id (rel-0123456789abcdef0123), or an environment followed by a version';
const VERSION_ARGUMENT = 'with an environment: the version, whose newest release is meant';

/** The commands that read: status, releases, release, watch. */
export function addReadCommands(program: Command, { io, run, print, invoked }: CommandKit): void {
  const status = program
    .command('status')
    .description('environments you may read, or one environment’s live status')
    .argument('[env]', 'environment name');
  status.action((env: string | undefined) =>
    run(status, async (client, options) => {
      if (env === undefined) {
        const { body } = await client.request('GET', '/environments');
        return print(options, body, (reply, mark) => renderEnvironmentList(environmentListSchema.parse(reply), mark));
      }
      const { body } = await client.request('GET', path('environments', env));
      return print(options, body, (reply, mark) => renderEnvironmentStatus(environmentStatusSchema.parse(reply), mark));
    }),
  );

  const releases = program
    .command('releases')
    .description('an environment’s releases, newest first')
    .argument('<env>', 'environment name')
    .option('--limit <n>', 'how many', integer(1, '--limit'))
    .option('--cursor <cursor>', 'the next page, as printed by the previous one');
  releases.action((env: string, local: { limit?: number; cursor?: string }) =>
    run(releases, async (client, options) => {
      const { body } = await client.request('GET', `${path('environments', env)}/releases`, {
        query: { limit: local.limit, cursor: local.cursor },
      });
      return print(options, body, (reply, mark) => {
        const page = releasePageSchema.parse(reply);
        const limit = local.limit === undefined ? '' : ` --limit ${String(local.limit)}`;
        const next = page.cursor && `${invoked} releases ${env}${limit} --cursor ${page.cursor}`;
        return renderReleaseList(page.releases, next, mark);
      });
    }),
  );

  const release = program
    .command('release')
    .description('one release: its builds, why it failed, and its timeline')
    .argument('<release>', RELEASE_ARGUMENT)
    .argument('[version]', VERSION_ARGUMENT);
  release.action((reference: string, version: string | undefined) =>
    run(release, async (client, options) => {
      const id = await releaseIdOf(client, reference, version);
      const { body } = await client.request('GET', path('releases', id));
      return print(options, body, (reply, mark) => {
        const view = releaseViewSchema.parse(reply);
        return `${renderRelease(view, mark)}${renderTimeline(view)}`;
      });
    }),
  );

  const watch = program
    .command('watch')
    .description('follow a release with a live progress line until it ends; exits 1 if it failed or rolled back')
    .argument('<release>', RELEASE_ARGUMENT)
    .argument('[version]', VERSION_ARGUMENT)
    .option('--interval <seconds>', 'seconds between polls', seconds, 2)
    .option('--until-built', 'stop once the release is built (for builds that are not deployed)')
    .option('--timeout <seconds>', 'give up (exit 1) after this long', seconds);
  watch.action(
    (
      reference: string,
      version: string | undefined,
      local: { interval: number; untilBuilt?: boolean; timeout?: number },
    ) =>
      run(watch, async (client, options) =>
        watchRelease(client, await releaseIdOf(client, reference, version), {
          intervalMs: local.interval * 1000,
          untilBuilt: local.untilBuilt === true,
          timeoutMs: local.timeout === undefined ? undefined : local.timeout * 1000,
          json: options.json === true,
          isTTY: io.isTTY,
          write: io.write,
          now: io.now,
          sleep: io.sleep,
        }),
      ),
  );
}
