import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  adoptionViewSchema,
  DEFAULT_HOLD_MINUTES,
  environmentListSchema,
  environmentStatusSchema,
  releaseBuildsViewSchema,
  releasePageSchema,
  releaseViewSchema,
  rollbackViewSchema,
} from '../contract/api.js';
import { createApiClient, type ApiClient, type ApiClientOptions, type AuthMode } from './api-client.js';
import {
  renderAdoption,
  renderBuildReply,
  renderEnvironmentList,
  renderEnvironmentStatus,
  renderError,
  renderFields,
  renderRelease,
  renderReleaseList,
  renderTimeline,
} from './render.js';
import type { CredentialsProvider } from './sigv4.js';
import { colourError, colourStates, colourWanted } from './colour.js';
import { invokedAs } from './words.js';
import { watchRelease } from './watch.js';

/** The commands that talk to the conductor API: status, releases, build, deploy, rollback, redeploy, adopt, scale, watch. */

export interface CliIo {
  write: (text: string) => void;
  writeError: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  fetch?: typeof fetch;
  credentials?: CredentialsProvider;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface GlobalOptions {
  api?: string;
  token?: string;
  auth: AuthMode;
  region?: string;
  json?: boolean;
}

const DEFAULT_API = 'http://127.0.0.1:3000';

/** The API client the global options and the environment describe (the console uses the same). */
export function apiClientOptions(options: GlobalOptions, io: CliIo): ApiClientOptions {
  return {
    baseUrl: options.api ?? (io.env.CONDUCTOR_API_URL || DEFAULT_API),
    token: options.token ?? (io.env.CONDUCTOR_API_TOKEN || undefined),
    auth: options.auth,
    region: options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.credentials ? { credentials: io.credentials } : {}),
  };
}

function integer(min: number, what: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || parsed < min)
      throw new InvalidArgumentError(`${what} must be a whole number >= ${min}`);
    return parsed;
  };
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a number of seconds > 0');
  return parsed;
}

const path = (...segments: string[]) => segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');

/** Registers the API commands on the program; each sets the program's `exitCode`. */
export function addApiCommands(program: Command, io: CliIo): void {
  program
    .option('--api <url>', `API base URL (default: $CONDUCTOR_API_URL or ${DEFAULT_API})`)
    // No commander default: help output must never print the token.
    .option(
      '--token <token>',
      'API bearer token (default: $CONDUCTOR_API_TOKEN); without one, https APIs are called with SigV4',
    )
    .addOption(
      new Option('--auth <mode>', 'auto: the token if any, else SigV4 for https')
        .choices(['auto', 'token', 'sigv4', 'none'])
        .default('auto'),
    )
    .option('--region <region>', 'SigV4 region when the API URL does not name one (default: $AWS_REGION)')
    .option('--json', 'print the raw JSON replies (for scripts)');

  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();
  const invoked = invokedAs(io.env);
  const clientFor = (options: GlobalOptions): ApiClient => createApiClient(apiClientOptions(options, io));

  /** Runs one API call and prints its reply (raw JSON with --json); any failure prints the error and exits 1. */
  const run = async (command: Command, call: (client: ApiClient, options: GlobalOptions) => Promise<number>) => {
    const options = globals(command);
    try {
      program.setOptionValue('exitCode', await call(clientFor(options), options));
    } catch (error) {
      io.writeError(colourError(renderError(error, invoked), colourWanted(io)));
      program.setOptionValue('exitCode', 1);
    }
  };
  const print = (options: GlobalOptions, body: unknown, human: (body: unknown) => string) => {
    io.write(options.json ? `${JSON.stringify(body, null, 2)}\n` : colourStates(human(body), colourWanted(io)));
    return 0;
  };
  const asRelease = (body: unknown) => {
    const release = releaseViewSchema.safeParse(body);
    return release.success
      ? `${renderRelease(release.data)}follow it: ${invoked} watch ${release.data.id}\n`
      : renderFields(body);
  };

  const status = program
    .command('status')
    .description('environments you may read, or one environment’s live status')
    .argument('[env]', 'environment name');
  status.action((env: string | undefined) =>
    run(status, async (client, options) => {
      if (env === undefined) {
        const { body } = await client.request('GET', '/environments');
        return print(options, body, (reply) => renderEnvironmentList(environmentListSchema.parse(reply)));
      }
      const { body } = await client.request('GET', path('environments', env));
      return print(options, body, (reply) => renderEnvironmentStatus(environmentStatusSchema.parse(reply)));
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
      return print(options, body, (reply) => {
        const page = releasePageSchema.parse(reply);
        return renderReleaseList(page.releases, page.cursor);
      });
    }),
  );

  const release = program
    .command('release')
    .description('one release: its builds, why it failed, and its timeline')
    .argument('<release>', 'release id, e.g. rel-0123456789abcdef0123');
  release.action((id: string) =>
    run(release, async (client, options) => {
      const { body } = await client.request('GET', path('releases', id));
      return print(options, body, (reply) => {
        const view = releaseViewSchema.parse(reply);
        return `${renderRelease(view)}${renderTimeline(view)}`;
      });
    }),
  );

  const build = program
    .command('build')
    .description('build a version: one CodeBuild build per entrypoint, as pushing its source image does')
    .argument('<env>', 'environment name')
    .argument('<version>', 'the source image tag, e.g. 1.4.0')
    .option('--entrypoint <name...>', 'only these entrypoints');
  build.action((env: string, version: string, local: { entrypoint?: string[] }) =>
    run(build, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/builds`, {
        body: { version, ...(local.entrypoint ? { entrypoints: local.entrypoint } : {}) },
      });
      return print(options, body, (reply) => {
        const view = releaseBuildsViewSchema.safeParse(reply);
        return view.success ? renderBuildReply(view.data, invoked) : renderFields(reply);
      });
    }),
  );

  const deploy = program
    .command('deploy')
    .description('roll a built version out: services and the deployment task, in the environment’s order')
    .argument('<env>', 'environment name')
    .argument('<version>', 'a built version')
    .option(
      '--task <name>',
      'run this deployment task instead of the routine one (e.g. a destructive initial deployment)',
    )
    .option('--confirm <env>', 'repeat the environment name to confirm a destructive task');
  deploy.action((env: string, version: string, local: { task?: string; confirm?: string }) =>
    run(deploy, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/deployments`, {
        body: {
          version,
          ...(local.task === undefined ? {} : { task: local.task }),
          ...(local.confirm === undefined ? {} : { confirm: local.confirm }),
        },
      });
      return print(options, body, asRelease);
    }),
  );

  const rollback = program
    .command('rollback')
    .description('roll the environment back to the release that ran before the current one')
    .argument('<env>', 'environment name');
  rollback.action((env: string) =>
    run(rollback, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/rollback`, { body: {} });
      return print(options, body, (reply) => {
        const view = rollbackViewSchema.safeParse(reply);
        return `${view.success ? `${view.data.summary}\n` : ''}${asRelease(reply)}`;
      });
    }),
  );

  const redeploy = program
    .command('redeploy')
    .description('run the routine deployment task of the release the environment runs, now')
    .argument('<env>', 'environment name');
  redeploy.action((env: string) =>
    run(redeploy, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/redeploy`, { body: {} });
      return print(options, body, asRelease);
    }),
  );

  const adopt = program
    .command('adopt')
    .description('record what the environment runs now as its baseline release (changes nothing in ECS)')
    .argument('<env>', 'environment name');
  adopt.action((env: string) =>
    run(adopt, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/adopt`, { body: {} });
      return print(options, body, (reply) => {
        const adoption = adoptionViewSchema.safeParse(reply);
        return adoption.success ? renderAdoption(adoption.data) : renderFields(reply);
      });
    }),
  );

  const scale = program
    .command('scale')
    .description('set a queue-driven service’s desired task count, holding it against the autoscaler')
    .argument('<env>', 'environment name')
    .argument('<service>', 'service key from the config, e.g. ingester')
    .argument('[count]', 'desired task count', integer(0, 'COUNT'))
    .option(
      '--hold-minutes <minutes>',
      `keep the autoscaler off the count for this long (default ${DEFAULT_HOLD_MINUTES}); 0 sets it with no hold`,
      integer(0, '--hold-minutes'),
    )
    .option('--release', 'end the service’s hold now: the autoscaler decides its count again')
    .addHelpText(
      'after',
      [
        '',
        `A manual scale holds the count: the autoscaler leaves the service at COUNT for ${DEFAULT_HOLD_MINUTES} minutes`,
        '(or --hold-minutes), then follows the queue again. With --hold-minutes 0 the count is set with no hold',
        '(and a hold in force ends): the autoscaler may change it at its next pass, within a minute.',
        '--release (without COUNT) ends a hold now and leaves the count as it is until the autoscaler acts.',
      ].join('\n'),
    );
  scale.action(
    (env: string, service: string, count: number | undefined, local: { holdMinutes?: number; release?: boolean }) =>
      run(scale, async (client, options) => {
        const servicePath = path('environments', env, 'services', service);
        if (local.release) {
          if (count !== undefined) throw new InvalidArgumentError('--release takes no COUNT');
          const { body } = await client.request('DELETE', `${servicePath}/hold`);
          return print(options, body, renderFields);
        }
        if (count === undefined) throw new InvalidArgumentError('give a COUNT, or --release to end a hold');
        const { body } = await client.request('POST', `${servicePath}/scale`, {
          body: { desiredCount: count, ...(local.holdMinutes === undefined ? {} : { holdMinutes: local.holdMinutes }) },
        });
        return print(options, body, renderFields);
      }),
  );

  const watch = program
    .command('watch')
    .description('follow a release with a live progress line until it ends; exits 1 if it failed or rolled back')
    .argument('<release>', 'release id, e.g. rel-0123456789abcdef0123')
    .option('--interval <seconds>', 'seconds between polls', seconds, 2)
    .option('--until-built', 'stop once the release is built (for builds that are not deployed)')
    .option('--timeout <seconds>', 'give up (exit 1) after this long', seconds);
  watch.action((id: string, local: { interval: number; untilBuilt?: boolean; timeout?: number }) =>
    run(watch, (client, options) =>
      watchRelease(client, id, {
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
