import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { createServer, request as forward, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { conductorFunctionName, nameOf } from '../../src/domain/names.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../src/local/emulator.js';
import { eventEnvelope } from '../../src/local/events.js';
import { invokeFunction } from '../../src/local/invoke.js';
import { emulatorClients } from './emulator-clients.js';

/**
 * ECS-native deployments (blue/green, linear, canary), played by local mode: moto drops the
 * strategy's behaviour, answers 500 to the service-deployment APIs and invokes no hooks. The player
 * sits between the Lambdas and moto: an UpdateService with a native strategy makes a service
 * deployment that it walks through ECS's documented stages, invoking the hook Lambda (through
 * serverless-offline) at the stages it was registered for and honouring its answers, and pausing at
 * a PAUSE hook's stage (after the Lambda hooks there) until ContinueServiceDeployment (CONTINUE or
 * ROLLBACK) or the hook's timeout; it answers DescribeServiceDeployments (with lifecycleHookDetails),
 * ListServiceDeployments, StopServiceDeployment and ContinueServiceDeployment, and sends the
 * deployment's state-change and hook state-change events. Everything else goes to moto untouched.
 * Each stage lasts a second or so and the bake `bakeSeconds`: local minutes are short — but a pause's
 * timeout is in real minutes (`pauseMinuteSeconds`), so that a person has time to answer it.
 */

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.';
const NATIVE = new Set(['BLUE_GREEN', 'LINEAR', 'CANARY']);

interface Hook {
  targetType?: string;
  hookTargetArn?: string;
  lifecycleStages?: string[];
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: string };
}

/** A PAUSE hook reached, as DescribeServiceDeployments' lifecycleHookDetails shows it. */
interface PauseDetail {
  hookId: string;
  stage: string;
  status: 'AWAITING_ACTION' | 'SUCCEEDED' | 'TIMED_OUT';
  expiresAt: Date;
  timeoutAction: string;
}

interface DeploymentRequest {
  cluster?: string;
  service?: string;
  taskDefinition?: string;
  deploymentConfiguration?: {
    strategy?: string;
    bakeTimeInMinutes?: number;
    lifecycleHooks?: Hook[];
    linearConfiguration?: { stepPercent?: number };
    canaryConfiguration?: { canaryPercent?: number };
  };
}

interface PlayedDeployment {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  cluster: string;
  service: string;
  deploymentId: string;
  /** What ran before: a rollback returns the service to it. */
  sourceTaskDefinition: string;
  targetTaskDefinition: string;
  status: string;
  statusReason?: string;
  lifecycleStage?: string;
  rollback?: { reason: string; startedAt: Date };
  stages: string[];
  stageIndex: number;
  hooks: Hook[];
  pauseHooks: Hook[];
  pauses: PauseDetail[];
  /** The Lambda hooks of the current stage all answered SUCCEEDED (a pause there is then awaited). */
  lambdaPassed: boolean;
  /** When the current stage may end (a hook's callBackDelay, or the stage's own time). */
  nextAt: number;
  hookDetails?: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface NativePlayerOptions {
  emulator: string;
  lambda: string;
  stage: string;
  stageSeconds?: number;
  bakeSeconds?: number;
  /** How long one of a PAUSE hook's timeout minutes lasts (60: real minutes). */
  pauseMinuteSeconds?: number;
  log?: (line: string) => void;
}

export interface NativePlayer {
  /** Where the Lambdas send their AWS calls instead of moto. */
  endpoint: string;
  /** Forgets every deployment played (local mode's reset empties moto too). */
  clear: () => void;
  stop: () => Promise<void>;
}

/** ECS's stages of a native deployment, production traffic shifted once per canary or linear step. */
export function stagesOf(config: NonNullable<DeploymentRequest['deploymentConfiguration']>): string[] {
  const steps =
    config.strategy === 'LINEAR'
      ? Math.ceil(100 / (config.linearConfiguration?.stepPercent ?? 10))
      : config.strategy === 'CANARY'
        ? 2
        : 1;
  const shift = ['PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];
  return [
    'PRE_SCALE_UP',
    'SCALE_UP',
    'POST_SCALE_UP',
    'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT',
    ...Array.from({ length: steps }, () => shift).flat(),
    'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME',
    'CLEAN_UP',
  ];
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function jsonReply(status: number, body: unknown): Reply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from(JSON.stringify(body)) };
}

const refusal = (message: string) => jsonReply(400, { __type: 'InvalidParameterException', message });

function described(played: PlayedDeployment) {
  return {
    serviceDeploymentArn: played.serviceDeploymentArn,
    serviceArn: played.serviceArn,
    clusterArn: played.clusterArn,
    createdAt: played.createdAt.getTime() / 1000,
    updatedAt: played.updatedAt.getTime() / 1000,
    status: played.status,
    ...(played.statusReason ? { statusReason: played.statusReason } : {}),
    ...(played.lifecycleStage ? { lifecycleStage: played.lifecycleStage } : {}),
    ...(played.rollback
      ? { rollback: { reason: played.rollback.reason, startedAt: played.rollback.startedAt.getTime() / 1000 } }
      : {}),
    targetServiceRevision: { arn: played.targetTaskDefinition },
    lifecycleHookDetails: played.pauses.map((pause) => ({
      hookId: pause.hookId,
      targetType: 'PAUSE',
      status: pause.status,
      expiresAt: pause.expiresAt.getTime() / 1000,
      timeoutAction: pause.timeoutAction,
    })),
  };
}

export async function startNativePlayer(options: NativePlayerOptions): Promise<NativePlayer> {
  const { ecs } = emulatorClients(options.emulator);
  const upstream = new URL(options.emulator);
  const played = new Map<string, PlayedDeployment>();
  const log = options.log ?? (() => undefined);
  const stageMs = (options.stageSeconds ?? 1) * 1000;
  const bakeMs = (options.bakeSeconds ?? 2) * 1000;
  const pauseMinuteMs = (options.pauseMinuteSeconds ?? 60) * 1000;
  const stopping = new AbortController();

  const send = (path: string, method: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<Reply>((resolve, reject) => {
      // Plain bodies: the player reads and rewrites some of moto's answers.
      const forwarded = { ...headers };
      delete forwarded['accept-encoding'];
      const outgoing = forward(
        { host: upstream.hostname, port: upstream.port, path, method, headers: forwarded },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const event = (deployment: PlayedDeployment, eventName: string, reason?: string) =>
    invokeFunction(
      options.lambda,
      'onDeploymentStateChange',
      eventEnvelope(
        'ECS Deployment State Change',
        'aws.ecs',
        {
          eventType: eventName.endsWith('FAILED') ? 'ERROR' : 'INFO',
          eventName,
          deploymentId: deployment.deploymentId,
          updatedAt: new Date().toISOString(),
          ...(reason ? { reason } : {}),
        },
        [deployment.serviceArn],
      ),
      { stage: options.stage, timeoutMs: 120_000 },
    ).catch((error: unknown) => {
      log(`native player: ${eventName} event not delivered: ${(error as Error).message}`);
    });

  /** ECS's `ECS Hook State Change` event, to the function that listens for it (as EventBridge would deliver it). */
  const hookEvent = (deployment: PlayedDeployment, pause: PauseDetail, eventName: string) =>
    invokeFunction(
      options.lambda,
      'onDeploymentStateChange',
      eventEnvelope(
        'ECS Hook State Change',
        'aws.ecs',
        {
          eventName,
          serviceDeploymentArn: deployment.serviceDeploymentArn,
          hookId: pause.hookId,
          lifecycleStage: pause.stage,
        },
        [deployment.serviceDeploymentArn],
      ),
      { stage: options.stage, timeoutMs: 120_000 },
    ).catch((error: unknown) => {
      log(`native player: ${eventName} event not delivered: ${(error as Error).message}`);
    });

  /**
   * The PAUSE hook of the current stage: reached → AWAITING_ACTION and its event; answered (or with
   * no PAUSE hook here) → true, the stage may end; timed out → its timeout action. Waiting → false.
   */
  const pauseDone = async (deployment: PlayedDeployment): Promise<boolean> => {
    const stage = deployment.lifecycleStage ?? '';
    const hook = deployment.pauseHooks.find((candidate) => candidate.lifecycleStages?.includes(stage));
    if (!hook) return true;
    const pause = deployment.pauses.find((candidate) => candidate.stage === stage);
    if (!pause) {
      const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
      const reached: PauseDetail = {
        hookId: `ecs-pause-${randomUUID().slice(0, 8)}`,
        stage,
        status: 'AWAITING_ACTION',
        expiresAt: new Date(Date.now() + minutes * pauseMinuteMs),
        timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
      };
      deployment.pauses.push(reached);
      deployment.updatedAt = new Date();
      log(
        `native player: ${deployment.service} paused at ${stage} (${reached.hookId}) until ${reached.expiresAt.toISOString()}`,
      );
      await hookEvent(deployment, reached, 'HOOK_AWAITING_ACTION');
      return false;
    }
    if (pause.status !== 'AWAITING_ACTION') return true;
    if (Date.now() < pause.expiresAt.getTime()) return false;
    pause.status = 'TIMED_OUT';
    log(`native player: ${deployment.service} pause ${pause.hookId} timed out: ${pause.timeoutAction}`);
    await hookEvent(deployment, pause, 'HOOK_TIMED_OUT');
    if (pause.timeoutAction !== 'ROLLBACK') return true;
    await rollBack(deployment, `PAUSE lifecycle hook ${pause.hookId} at ${stage} timed out`);
    return false;
  };

  /** ContinueServiceDeployment: the paused hook answered, CONTINUE on to the next stage or ROLLBACK. */
  const continueDeployment = async (request: { serviceDeploymentArn?: string; hookId?: string; action?: string }) => {
    const deployment = request.serviceDeploymentArn ? played.get(request.serviceDeploymentArn) : undefined;
    const pause = deployment?.pauses.find((candidate) => candidate.hookId === request.hookId);
    if (!deployment || deployment.status !== 'IN_PROGRESS' || pause?.status !== 'AWAITING_ACTION')
      return refusal(`no PAUSE lifecycle hook ${request.hookId ?? '?'} is awaiting action in this service deployment`);
    pause.status = 'SUCCEEDED';
    deployment.updatedAt = new Date();
    log(`native player: ${deployment.service} pause ${pause.hookId} answered ${request.action ?? 'CONTINUE'}`);
    if (request.action === 'ROLLBACK')
      await rollBack(deployment, `ContinueServiceDeployment ROLLBACK of PAUSE lifecycle hook ${pause.hookId}`);
    else deployment.nextAt = 0;
    return jsonReply(200, { serviceDeploymentArn: deployment.serviceDeploymentArn });
  };

  /** ECS rolls back: the service runs what it ran before, and the deployment says why. */
  const rollBack = async (deployment: PlayedDeployment, reason: string) => {
    Object.assign(deployment, {
      status: 'ROLLBACK_IN_PROGRESS',
      rollback: { reason, startedAt: new Date() },
      updatedAt: new Date(),
    });
    log(`native player: ${deployment.service} rolls back: ${reason}`);
    await ecs.send(
      new UpdateServiceCommand({
        cluster: deployment.cluster,
        service: deployment.service,
        taskDefinition: deployment.sourceTaskDefinition,
      }),
    );
    Object.assign(deployment, { status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: undefined, updatedAt: new Date() });
    await event(deployment, 'SERVICE_DEPLOYMENT_FAILED', reason);
  };

  /** Invokes the deployment's hooks of its current stage; true when every one answered SUCCEEDED. */
  const runHooks = async (deployment: PlayedDeployment): Promise<boolean | 'later'> => {
    if (deployment.lambdaPassed) return true;
    const stage = deployment.lifecycleStage ?? '';
    for (const hook of deployment.hooks.filter((candidate) => candidate.lifecycleStages?.includes(stage))) {
      const name = (hook.hookTargetArn ?? '').split(':function:')[1] ?? '';
      const prefix = conductorFunctionName(options.stage, '');
      const payload = {
        executionId: randomUUID(),
        lifecycleStage: stage,
        resourceArn: deployment.serviceDeploymentArn,
        executionDetails: {
          serviceArn: deployment.serviceArn,
          targetServiceRevisionArn: deployment.targetTaskDefinition,
          testTrafficWeights: { [deployment.targetTaskDefinition]: 100 },
          productionTrafficWeights: { [deployment.sourceTaskDefinition]: 100 },
        },
        ...(deployment.hookDetails === undefined ? {} : { hookDetails: deployment.hookDetails }),
      };
      const answer = name.startsWith(prefix)
        ? await invokeFunction(options.lambda, name.slice(prefix.length), payload, { stage: options.stage }).catch(
            (error: unknown) => ({ body: { error: (error as Error).message } }),
          )
        : { body: { error: `no local function ${name}` } };
      const reply = answer.body as { hookStatus?: string; callBackDelay?: number; hookDetails?: unknown };
      log(`native player: ${deployment.service} ${stage} hook answered ${JSON.stringify(reply)}`);
      if (reply.hookStatus === 'IN_PROGRESS') {
        deployment.hookDetails = reply.hookDetails;
        deployment.nextAt = Date.now() + (reply.callBackDelay ?? 30) * 1000;
        return 'later';
      }
      if (reply.hookStatus !== 'SUCCEEDED') {
        await rollBack(deployment, `lifecycle hook at ${stage} answered ${reply.hookStatus ?? 'nothing valid'}`);
        return false;
      }
    }
    deployment.hookDetails = undefined;
    deployment.lambdaPassed = true;
    return true;
  };

  /** Moves one deployment on by at most one stage, when its current one has lasted long enough. */
  const advance = async (deployment: PlayedDeployment) => {
    if (!['PENDING', 'IN_PROGRESS'].includes(deployment.status) || Date.now() < deployment.nextAt) return;
    if (deployment.status === 'PENDING') {
      Object.assign(deployment, { status: 'IN_PROGRESS', lifecycleStage: deployment.stages[0], stageIndex: 0 });
      await event(deployment, 'SERVICE_DEPLOYMENT_IN_PROGRESS');
    } else {
      const passed = await runHooks(deployment);
      if (passed !== true || !(await pauseDone(deployment))) return;
      deployment.lambdaPassed = false;
      deployment.stageIndex += 1;
      deployment.lifecycleStage = deployment.stages[deployment.stageIndex];
    }
    deployment.updatedAt = new Date();
    deployment.nextAt = Date.now() + (deployment.lifecycleStage === 'BAKE_TIME' ? bakeMs : stageMs);
    if (deployment.lifecycleStage !== undefined) return;
    Object.assign(deployment, { status: 'SUCCESSFUL', lifecycleStage: undefined });
    log(`native player: ${deployment.service} deployment SUCCESSFUL`);
    await event(deployment, 'SERVICE_DEPLOYMENT_COMPLETED');
  };

  const updateService = async (path: string, headers: IncomingHttpHeaders, body: Buffer) => {
    const request = JSON.parse(body.toString('utf8')) as DeploymentRequest;
    const config = request.deploymentConfiguration;
    if (!config?.strategy || !NATIVE.has(config.strategy) || !request.service || !request.cluster)
      return send(path, 'POST', headers, body);
    const [before] =
      (await ecs.send(new DescribeServicesCommand({ cluster: request.cluster, services: [request.service] })))
        .services ?? [];
    const reply = await send(path, 'POST', headers, body);
    if (reply.status !== 200) return reply;
    const answered = JSON.parse(reply.body.toString('utf8')) as {
      service: { deployments?: { id?: string; status?: string }[] } & Record<string, unknown>;
    };
    const cluster = nameOf(request.cluster);
    const service = nameOf(request.service);
    const id = randomUUID().replaceAll('-', '').slice(0, 20);
    const now = new Date();
    const deployment: PlayedDeployment = {
      serviceDeploymentArn: `arn:aws:ecs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:service-deployment/${cluster}/${service}/${id}`,
      serviceArn: `arn:aws:ecs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:service/${cluster}/${service}`,
      clusterArn: `arn:aws:ecs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:cluster/${cluster}`,
      cluster,
      service,
      deploymentId: answered.service.deployments?.find((d) => d.status === 'PRIMARY')?.id ?? id,
      sourceTaskDefinition: before?.taskDefinition ?? '',
      targetTaskDefinition: request.taskDefinition ?? before?.taskDefinition ?? '',
      status: 'PENDING',
      stages: stagesOf(config),
      stageIndex: 0,
      hooks: (config.lifecycleHooks ?? []).filter((hook) => (hook.targetType ?? 'AWS_LAMBDA') === 'AWS_LAMBDA'),
      pauseHooks: (config.lifecycleHooks ?? []).filter((hook) => hook.targetType === 'PAUSE'),
      pauses: [],
      lambdaPassed: false,
      nextAt: 0,
      createdAt: now,
      updatedAt: now,
    };
    played.set(deployment.serviceDeploymentArn, deployment);
    log(`native player: ${config.strategy} deployment of ${service} → ${deployment.serviceDeploymentArn}`);
    answered.service.currentServiceDeployment = deployment.serviceDeploymentArn;
    return jsonReply(200, answered);
  };

  const latestOf = (cluster: string, service: string) =>
    [...played.values()].filter((d) => d.cluster === cluster && d.service === service).at(-1);

  /** moto knows no service deployments: DescribeServices names the current one, as ECS does. */
  const describeServices = async (path: string, headers: IncomingHttpHeaders, body: Buffer) => {
    const reply = await send(path, 'POST', headers, body);
    if (reply.status !== 200) return reply;
    const answered = JSON.parse(reply.body.toString('utf8')) as {
      services?: ({ serviceName?: string; clusterArn?: string } & Record<string, unknown>)[];
    };
    for (const service of answered.services ?? []) {
      const latest = latestOf(nameOf(service.clusterArn ?? ''), service.serviceName ?? '');
      if (latest) service.currentServiceDeployment = latest.serviceDeploymentArn;
    }
    return jsonReply(200, answered);
  };

  const handle = async (target: string, path: string, headers: IncomingHttpHeaders, body: Buffer) => {
    const input = () => JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    switch (target) {
      case 'UpdateService':
        return updateService(path, headers, body);
      case 'DescribeServices':
        return describeServices(path, headers, body);
      case 'DescribeServiceDeployments': {
        const arns = (input().serviceDeploymentArns as string[] | undefined) ?? [];
        const found = arns.flatMap((arn) => (played.has(arn) ? [described(played.get(arn) as PlayedDeployment)] : []));
        const failures = arns
          .filter((arn) => !played.has(arn))
          .map((arn) => ({ arn, reason: 'MISSING', detail: 'not a deployment local mode played' }));
        return jsonReply(200, { serviceDeployments: found, failures });
      }
      case 'ListServiceDeployments': {
        const { cluster, service } = input() as { cluster?: string; service?: string };
        const listed = [...played.values()].filter(
          (d) => d.service === nameOf(service ?? '') && (!cluster || d.cluster === nameOf(cluster)),
        );
        return jsonReply(200, { serviceDeployments: listed.reverse().map(described) });
      }
      case 'StopServiceDeployment': {
        const { serviceDeploymentArn: arn } = input() as { serviceDeploymentArn?: string };
        const deployment = arn === undefined ? undefined : played.get(arn);
        if (!deployment || !['PENDING', 'IN_PROGRESS'].includes(deployment.status))
          return refusal(`service deployment ${arn ?? '?'} is not in progress`);
        await rollBack(deployment, 'stopped by StopServiceDeployment (ROLLBACK)');
        return jsonReply(200, { serviceDeploymentArn: arn });
      }
      case 'ContinueServiceDeployment':
        return continueDeployment(input());
      default:
        return undefined;
    }
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(incoming.headers['x-amz-target'] ?? '');
      const path = incoming.url ?? '/';
      const own = target.startsWith(ECS_TARGET) ? target.slice(ECS_TARGET.length) : '';
      (async () =>
        (await handle(own, path, incoming.headers, body)) ??
        send(path, incoming.method ?? 'GET', incoming.headers, body))()
        .then((reply) => {
          const headers = { ...reply.headers, 'content-length': String(reply.body.length) };
          delete headers['transfer-encoding'];
          outgoing.writeHead(reply.status, headers);
          outgoing.end(reply.body);
        })
        .catch((error: unknown) => {
          log(`native player: ${target || path}: ${(error as Error).message}`);
          outgoing.destroy();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const running = (async () => {
    while (!stopping.signal.aborted) {
      for (const deployment of played.values())
        await advance(deployment).catch((error: unknown) => {
          log(`native player: ${deployment.service}: ${(error as Error).message}`);
        });
      await sleep(250, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    clear: () => {
      played.clear();
    },
    stop: async () => {
      stopping.abort();
      await running;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
