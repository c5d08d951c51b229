import { approvesAtPause } from '../../src/domain/gates.js';
import { relative } from 'node:path';
import { loadLocalCallers } from '../../src/config/runtime.js';
import { autoscaleTickQueueName, nameOf } from '../../src/domain/names.js';
import { functionName } from '../../src/local/invoke.js';
import { describeSwitch } from '../../src/local/switches.js';
import type { LocalMode } from '../local.js';
import type { LocalOutput } from './local-output.js';
import { alarmHints } from './seed-alarms.js';
import { localSmokeUrls } from './smoke-target.js';
import { PROJECT_ROOT } from './venv.js';

/** What the printed token may do, as the api function (under serverless-offline) will see it. */
function tokenRights(token: string, env: NodeJS.ProcessEnv): string {
  const caller = loadLocalCallers({ ...env, CONDUCTOR_API_TOKEN: token, IS_OFFLINE: 'true' })
    .filter((candidate) => candidate.token === token)
    .at(-1);
  if (caller?.unrestricted) return `may do everything (local operator ${caller.principal})`;
  return `acts as ${caller?.principal ?? '?'}: only what the config's access lists allow it`;
}

/** Blue/green, linear and canary services: their stages are played here, and their test listeners served. */
function nativeLines(mode: LocalMode): string[] {
  const native = Object.values(mode.config.environments).flatMap((env) =>
    Object.entries(env.services).flatMap(([key, service]) =>
      service.strategy ? [`${key} ${service.strategy.type}`] : [],
    ),
  );
  if (native.length === 0) return [];
  const pausing = Object.values(mode.config.environments).some((env) => approvesAtPause(env.gates));
  return [
    `   Native deployments       played by local mode (${[...new Set(native)].join(', ')}): moto has no service deployments`,
    '                            or hooks; stages last about a second, the bake two; the hook Lambda is invoked',
    ...(pausing
      ? ['                            a PAUSE hook waits for approve/reject: ContinueServiceDeployment is played too']
      : []),
    ...localSmokeUrls(mode.config).map(
      (url) => `   Test listener            ${url} (curl -X POST "${url}/local/smoke?status=500" makes it fail)`,
    ),
  ];
}

/** What runs where, the token (the only place it is printed), the switches in force and commands to try. */
export function banner(
  mode: LocalMode,
  consoleLine: string,
  env: NodeJS.ProcessEnv = {},
  output: LocalOutput = 'quiet',
): string[] {
  const { endpoints, token, config } = mode;
  const [name, environment] = Object.entries(config.environments)[0] ?? [];
  const [service] = Object.values(environment?.services ?? {});
  const configFile = relative(PROJECT_ROOT, mode.configPath);
  const configFlag = configFile === 'conductor.yml' ? '' : ` --config ${configFile}`;
  const rule = '─'.repeat(80);
  const switches = mode.switches.map((entry) => `   ${describeSwitch(entry)}`);
  return [
    rule,
    ` ecs-conductor local mode (stage "local")`,
    `   AWS emulator (moto)      ${endpoints.emulator}`,
    `   HTTP API                 ${endpoints.httpApi}`,
    `   Lambda invoke endpoint   ${endpoints.lambda}   (functions ${functionName('<name>')})`,
    `   Console                  ${consoleLine}`,
    `   Autoscale ticks          played by this script from SQS queue ${autoscaleTickQueueName('local')}`,
    '                            (serverless-offline runs no SQS event sources; AWS does this itself)',
    ...nativeLines(mode),
    `   The token below          ${tokenRights(token, env)}`,
    '',
    ' Failure switches:',
    ...(switches.length > 0 ? switches : ['   none (builds succeed, deployment tasks exit 0)']),
    '   change them: npx ecs-conductor local fail build|task VERSION, local fail clear, local fail list',
    '',
    ' Paste into another shell, for the CLI and curl:',
    `   export CONDUCTOR_API_URL=${endpoints.httpApi} CONDUCTOR_API_TOKEN=${token}`,
    `   export CONDUCTOR_EMULATOR_URL=${endpoints.emulator} CONDUCTOR_LAMBDA_URL=${endpoints.lambda}`,
    '',
    ' Try:',
    '   npx ecs-conductor status',
    ...(name
      ? [`   npx ecs-conductor local push ${name} 1.4.0${configFlag}   # builds it, and says what follows`]
      : []),
    `   curl ${endpoints.httpApi}/health`,
    `   curl -H "Authorization: Bearer $CONDUCTOR_API_TOKEN" $CONDUCTOR_API_URL/environments`,
    `   export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1`,
    ...(environment && service
      ? [
          `   aws --endpoint-url ${endpoints.emulator} ecs describe-services --cluster ${nameOf(environment.cluster)} --services ${nameOf(service.service)}`,
        ]
      : []),
    `   aws lambda invoke --endpoint-url ${endpoints.lambda} --function-name ${functionName('onImagePush')} --cli-binary-format raw-in-base64-out --payload file://test/fixtures/events/ecr-push.json out.json`,
    '   (AWS CLI v1 has no --cli-binary-format: leave it out)',
    '',
    ...alarmHints(config, endpoints.emulator),
    ' Ctrl-C stops everything. The emulator keeps its state in memory only: releases, images, builds',
    ' and scaling history are lost when local mode stops; the next npm start seeds a fresh world.',
    ...(output === 'quiet'
      ? [
          ' From here: one line per release that changes state, scaling change, warning or',
          ' error. `npm start -- --verbose` (or CONDUCTOR_VERBOSE=1) prints everything.',
        ]
      : [' From here: everything serverless-offline and the Lambdas print (--verbose).']),
    rule,
  ];
}
