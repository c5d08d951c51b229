import { InvalidArgumentError, type Command } from 'commander';
import { releaseViewSchema } from '../contract/api.js';
import { createApiClient, type ApiClient, type ApiClientOptions, type AuthMode } from '../api-client/api-client.js';
import { colourError, colourStates, colourWanted, stateMarks, type Mark } from './colour.js';
import { errorAsJson, renderError, renderFields, renderRelease } from './render.js';
import type { CredentialsProvider } from '../api-client/sigv4.js';
import { invokedAs } from './words.js';
import { unauthenticatedHint } from './auth-hint.js';

/** The plumbing every API command shares: the CLI's io, its global options, one call and its printed reply. */

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

export const DEFAULT_API = 'http://127.0.0.1:3000';

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

export function integer(min: number, what: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || parsed < min)
      throw new InvalidArgumentError(`${what} must be a whole number >= ${min}`);
    return parsed;
  };
}

export function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a number of seconds > 0');
  return parsed;
}

/** An API path from raw segments, each URL-encoded. */
/** `--confirm ENV`: what deploy, rollback and scale of a production environment need (and a destructive task). */
export const CONFIRM_HELP = 'repeat the environment name: required for a production environment and a destructive task';

/** The request's `confirm` field, when `--confirm` was given. */
export const confirmed = (local: { confirm?: string }) =>
  local.confirm === undefined ? {} : { confirm: local.confirm };

export const path = (...segments: string[]) => segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');

export type ApiCall = (client: ApiClient, options: GlobalOptions) => Promise<number>;

/** What a command needs to call the API and print its reply. */
export interface CommandKit {
  io: CliIo;
  /** How the user ran the CLI, for hints: `ecs-conductor` or `npx ecs-conductor`. */
  invoked: string;
  /** Runs one API call; any failure prints the error and exits 1. */
  run: (command: Command, call: ApiCall) => Promise<void>;
  /**
   * Prints a reply: raw JSON with --json, else `human(body, mark)`, with state symbols and colour on a
   * terminal; returns exit code 0.
   */
  print: (options: GlobalOptions, body: unknown, human: (body: unknown, mark: Mark) => string) => number;
  /** A release reply and the hint to follow it. */
  asRelease: (body: unknown, mark: Mark) => string;
}

export function commandKit(program: Command, io: CliIo): CommandKit {
  const invoked = invokedAs(io.env);
  const clientFor = (options: GlobalOptions): ApiClient => createApiClient(apiClientOptions(options, io));
  return {
    io,
    invoked,
    run: async (command, call) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      try {
        program.setOptionValue('exitCode', await call(clientFor(options), options));
      } catch (error) {
        if (options.json) {
          io.writeError(errorAsJson(error));
          program.setOptionValue('exitCode', 1);
          return;
        }
        const text = `${renderError(error, invoked)}${unauthenticatedHint(error, apiClientOptions(options, io), options.token !== undefined)}`;
        io.writeError(colourError(text, colourWanted(io)));
        program.setOptionValue('exitCode', 1);
      }
    },
    print: (options, body, human) => {
      const wanted = colourWanted(io);
      io.write(
        options.json ? `${JSON.stringify(body, null, 2)}\n` : colourStates(human(body, stateMarks(wanted)), wanted),
      );
      return 0;
    },
    asRelease: (body, mark) => {
      const release = releaseViewSchema.safeParse(body);
      return release.success
        ? `${renderRelease(release.data, mark)}follow it: ${invoked} watch ${release.data.id}\n`
        : renderFields(body);
    },
  };
}
