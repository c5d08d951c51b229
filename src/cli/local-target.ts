import { readConductorDocument } from '../config/file.js';
import { ConfigError, parseConductorConfig } from '../config/load.js';
import { stackEnvironments } from '../config/stack-names.js';
import {
  assertEmulatorAnswers,
  DEFAULT_EMULATOR_URL,
  DEFAULT_LAMBDA_URL,
  EMULATOR_CREDENTIALS,
  LOCAL_REGION,
  LocalModeError,
  loopbackUrl,
} from '../local/emulator.js';
import { assertInvokeEndpointAnswers } from '../local/invoke.js';
import type { LocalTarget } from '../local/push.js';
import { ownEntry, type Environment } from '../domain/environment.js';

/** Where the local verbs find local mode, checked before they touch anything: on this machine and answering. */

export interface LocalTargetOptions {
  emulatorUrl?: string;
  lambdaUrl?: string;
}

export async function localTarget(
  options: LocalTargetOptions,
  env: NodeJS.ProcessEnv,
  fetcher: typeof fetch = fetch,
  needsLambda = false,
): Promise<LocalTarget> {
  const emulator = loopbackUrl(
    options.emulatorUrl ?? (env.CONDUCTOR_EMULATOR_URL || DEFAULT_EMULATOR_URL),
    '--emulator-url',
  );
  const lambda = loopbackUrl(options.lambdaUrl ?? (env.CONDUCTOR_LAMBDA_URL || DEFAULT_LAMBDA_URL), '--lambda-url');
  await assertEmulatorAnswers(emulator, fetcher);
  if (needsLambda) await assertInvokeEndpointAnswers(lambda, fetcher);
  return { emulator, lambda };
}

/** An environment of the config file, with the names it takes from a stack read from the emulator. */
export async function localEnvironment(
  configPath: string,
  environment: string,
  emulator: string,
): Promise<Environment> {
  let document: unknown;
  try {
    document = readConductorDocument(configPath);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new LocalModeError(`${error.problems.join('\n  ')}\nfix the YAML of ${configPath} first`);
    throw new LocalModeError(`cannot read the config ${configPath} (${(error as Error).message}); pass --config FILE`);
  }
  if (Object.keys(stackEnvironments(document)).length > 0) {
    // Loaded only here: its adapters create SDK clients on import, which every other command can do without.
    const { resolveStackNamesWithAws } = await import('../packaging/stack-names.js');
    const settings = { region: LOCAL_REGION, endpoint: emulator, credentials: EMULATOR_CREDENTIALS };
    document = (await resolveStackNamesWithAws(document, settings)).document;
  }
  let config;
  try {
    config = parseConductorConfig(document);
  } catch {
    throw new LocalModeError(
      `${configPath} is not a valid config: see \`ecs-conductor config validate ${configPath}\``,
    );
  }
  const found = ownEntry(config.environments, environment);
  if (!found)
    throw new LocalModeError(
      `${configPath} has no environment "${environment}" (known: ${Object.keys(config.environments).join(', ')}); pass --config FILE for another config`,
    );
  return found;
}
