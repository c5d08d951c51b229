import { InvalidArgumentError, type Command } from 'commander';
import { repositoryName } from '../domain/names.js';
import { invokeFunction } from '../local/invoke.js';
import { PASS_REQUEST } from '../domain/autoscale-chain.js';
import { ecrScanEvent, inspectorScanEvent, scheduledEvent } from '../local/events.js';
import { pushSourceImage, type PushedImage } from '../local/push.js';
import { setScanFindings } from '../local/scans.js';
import { SCAN_SEVERITIES, SCANNERS, type Scanner, type ScanSeverity } from '../domain/gates.js';
import type { CliIo } from './api-commands.js';
import { colourStates, colourWanted } from './colour.js';
import { addFailureSwitchCommands } from './local-switch-commands.js';
import { addLocalAlarmCommand } from './local-alarm-command.js';
import { localEnvironment } from './local-target.js';
import { localVerb } from './local-verb.js';
import { stringify } from 'yaml';
import { invokedAs } from './words.js';
import type { Environment } from '../domain/environment.js';

/**
 * `ecs-conductor local …`: verbs for local mode only (`npm start`), talking to its AWS emulator and
 * Lambda invoke endpoint on this machine, never to AWS: push a source image, failure switches, one
 * autoscale or reconcile pass on demand.
 */

/** The config `npm start` runs on: what `CONDUCTOR_CONFIG=FILE npm start` was given, so the verbs agree with it. */
function localConfigFile(env: NodeJS.ProcessEnv): string {
  return env.CONDUCTOR_CONFIG?.trim() || 'conductor.yml';
}

function scannerOption(value: string): Scanner {
  const scanner = SCANNERS.find((candidate) => candidate === value);
  if (!scanner) throw new InvalidArgumentError(`must be one of ${SCANNERS.join(', ')}`);
  return scanner;
}

const lower = (severity: ScanSeverity) => severity.toLowerCase() as Lowercase<ScanSeverity>;

/** A function's reply as indented lines, or the word for no reply. */
function replyLines(reply: unknown, none: string): string {
  if (reply === undefined || reply === null || reply === '') return ` ${none}\n`;
  // YAML reads as nested fields: the summaries hold lists of decisions and releases.
  return `\n${stringify(reply, { lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}\n`;
}

/** What follows the push: the release deploys by itself only when its version matches autoDeployPattern. */
function nextStep(pushed: PushedImage, env: string, config: Environment, invoked: string): string {
  const pattern = config.rollout.autoDeployPattern;
  if (pattern !== undefined && new RegExp(pattern).test(pushed.tag))
    return 'it deploys by itself once built (the version matches autoDeployPattern)';
  return `deploy it once built: ${invoked} deploy ${env} ${pushed.tag}`;
}

function renderPush(pushed: PushedImage, next: string, invoked: string): string {
  const lines = [
    `pushed ${pushed.repository}:${pushed.tag} to the emulator's ECR`,
    `  repository  ${pushed.repository}`,
    `  tag         ${pushed.tag}`,
    `  digest      ${pushed.digest}`,
  ];
  const release = pushed.release
    ? `release ${pushed.release.id} ${pushed.release.state}; follow it: ${invoked} watch ${pushed.release.id}\n${next}\n`
    : '';
  return `${lines.join('\n')}\nonImagePush${replyLines(pushed.reply, 'delivered')}${release}`;
}

export function addLocalCommands(program: Command, io: CliIo): void {
  const invoked = invokedAs(io.env);
  const local = program
    .command('local')
    .description('local mode only (npm start): push a source image, failure switches, one pass on demand');
  const print = (json: boolean, body: unknown, human: string) => {
    io.write(json ? `${JSON.stringify(body ?? null, null, 2)}\n` : colourStates(human, colourWanted(io)));
    return 0;
  };

  /** A verb on one version of one environment of the config local mode runs on. */
  const versionVerb = (name: string, description: string, version: string) =>
    local
      .command(name)
      .description(description)
      .argument('<env>', 'environment name')
      .argument('<version>', version)
      .option('--config <file>', 'the conductor config local mode runs on', localConfigFile(io.env));

  const push = versionVerb(
    'push',
    'put a source image into the emulator’s ECR and deliver the push to onImagePush, as EventBridge does',
    'the source image tag, e.g. 1.4.0 or a git SHA',
  );
  localVerb(
    program,
    push,
    io,
    async (target, json) => {
      const [env = '', version = ''] = push.processedArgs as string[];
      const config = await localEnvironment(push.opts<{ config: string }>().config, env, target.emulator);
      const pushed = await pushSourceImage(target, repositoryName(config.repository), version, env);
      return print(json, pushed, renderPush(pushed, nextStep(pushed, env, config, invoked), invoked));
    },
    true,
  );

  const scan = versionVerb(
    'scan',
    'set what the registry’s scan reports for a version’s images (the scan gate reads it)',
    'the version whose images were scanned',
  );
  for (const severity of SCAN_SEVERITIES) {
    scan.option(`--${severity.toLowerCase()} <count>`, `findings of severity ${severity}`, (value) => Number(value));
  }
  scan.option(
    '--scanner <scanner>',
    `${SCANNERS.join(' or ')}: ECR's basic scan event, or Amazon Inspector's (default: what gates.scan declares)`,
    scannerOption,
  );
  localVerb(program, scan, io, async (target, json) => {
    const [env = '', version = ''] = scan.processedArgs as string[];
    const options = scan.opts<
      { config: string; scanner?: Scanner } & Partial<Record<Lowercase<ScanSeverity>, number>>
    >();
    const config = await localEnvironment(options.config, env, target.emulator);
    const scanner = options.scanner ?? config.gates?.scan?.scanner ?? 'basic';
    const counts = Object.fromEntries(SCAN_SEVERITIES.map((severity) => [severity, options[lower(severity)] ?? 0]));
    const repository = repositoryName(config.repository);
    const images = await setScanFindings(target.emulator, repository, version, counts, scanner);
    const found = Object.entries(counts).filter(([, count]) => count > 0);
    const what = found.length ? found.map(([severity, count]) => `${severity} ${count}`).join(', ') : 'no findings';
    // As EventBridge would deliver the scanner's events: the releases record them, an auto-deploy tries again.
    const undelivered: string[] = [];
    for (const image of images) {
      const event =
        scanner === 'enhanced'
          ? inspectorScanEvent(repository, image.digest, image.tag, counts)
          : ecrScanEvent(repository, image.digest, image.tag, counts);
      await invokeFunction(target.lambda, 'onImagePush', event).catch((error: unknown) => {
        undelivered.push(`  scan event of ${image.tag} not delivered: ${(error as Error).message}`);
      });
    }
    const lines = [...images.map((image) => `  ${image.tag}  ${image.digest}`), ...undelivered];
    const by = scanner === 'enhanced' ? ' (Inspector enhanced scan)' : '';
    return print(
      json,
      { images, counts, scanner },
      `scan of ${version} in ${env}: ${what}${by}\n${lines.join('\n')}\n`,
    );
  });

  for (const [fn, what] of [
    ['autoscale', 'one autoscaler pass now, beside its tick chain (which goes on as it was)'],
    ['reconcile', 'one reconcile pass over every environment, as its one-minute schedule makes'],
  ] as const) {
    const command = local.command(fn).description(`${what}; prints the function’s reply`);
    localVerb(
      program,
      command,
      io,
      async (target, json) => {
        io.writeError(`invoking ${fn} (waits until it returns)\n`);
        const event = fn === 'autoscale' ? PASS_REQUEST : scheduledEvent(`ecs-conductor-local-${fn}`);
        const { body } = await invokeFunction(target.lambda, fn, event, {
          ...(io.fetch ? { fetch: io.fetch } : {}),
        });
        return print(json, body, `${fn}${replyLines(body, 'done (it returned nothing)')}`);
      },
      true,
    );
  }

  addFailureSwitchCommands(program, local, io);
  addLocalAlarmCommand(program, local, io);
}
