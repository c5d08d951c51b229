import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bodiesOf, listenLocally } from './local-server.js';

/** What the proxy did with one request instead of (or before) forwarding it. */
export type FaultKind = 'throttle' | 'server-error' | 'drop' | 'lost-answer' | 'latency';

export interface ForwardedCall {
  /** `X-Amz-Target`, e.g. `CodeBuild_20161006.StartBuild`: every client here speaks a JSON protocol. */
  target: string;
  body: string;
}

export interface FaultSettings {
  /** Share of requests answered with a fault instead of being forwarded (0..1). */
  failureRate: number;
  /** Share of the failures that are throttles (the rest split evenly between 500s and drops). */
  throttleShare: number;
  /**
   * Share of the failures that are lost answers: the request is forwarded and takes effect, and the
   * caller is answered 500 instead of the emulator's reply (a timeout after AWS applied a write).
   * 0 unless set.
   */
  lostAnswerShare?: number;
  /** Share of forwarded requests delayed by up to `maxLatencyMs` (latency is not a failure). */
  latencyRate: number;
  maxLatencyMs: number;
  seed: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Requests that reached the emulator: the only ones that can have had an effect. */
  forwarded: ForwardedCall[];
  faults: Record<FaultKind, number>;
  /** Reused client tokens whose parameters differed from the first use: AWS refuses them, so does the proxy. */
  tokenConflicts: string[];
  /** Changes the rates from now on (e.g. 0 while a test sets up). */
  configure: (settings: Partial<FaultSettings>) => void;
  /** Bodies of the forwarded calls to one operation, parsed as JSON. */
  forwardedBodies: (operation: string) => Record<string, unknown>[];
  close: () => Promise<void>;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with the same fault sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The error bodies of the JSON protocols (awsJson1_0: DynamoDB, SQS; awsJson1_1: ECS, CodeBuild, ECR):
 * the SDK reads the error code from `__type` and classifies ThrottlingException as a throttle, 5xx as
 * transient — both retried by the clients (adaptive, maxAttempts 5), which is what is under test.
 */
function answerWithError(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  status: number,
  type: string,
  message: string,
): void {
  const body = JSON.stringify({ __type: type, message });
  // The same JSON version the request used: application/x-amz-json-1.0 or -1.1.
  const contentType = incoming.headers['content-type'] ?? 'application/x-amz-json-1.1';
  outgoing.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': 'fault-proxy',
  });
  outgoing.end(body);
}

/**
 * An HTTP proxy between the conductor and the emulator that, at a set rate from a seeded PRNG,
 * answers a request with a fault *instead of* forwarding it — a throttle, a 500, or a dropped
 * connection — or, for `lostAnswerShare` of the failures, forwards it and then answers 500, and
 * delays some forwarded ones. Every effect in the emulator comes from a request listed in
 * `forwarded`: a duplicate there is the conductor's doing, not the proxy's.
 */
export async function startFaultProxy(upstream: string, initial: FaultSettings): Promise<FaultProxy> {
  const settings = { ...initial };
  let random = seededRandom(settings.seed);
  const forwarded: ForwardedCall[] = [];
  const faults: Record<FaultKind, number> = { throttle: 0, 'server-error': 0, drop: 0, 'lost-answer': 0, latency: 0 };
  const tokenConflicts: string[] = [];
  const target = new URL(upstream);

  // What AWS documents and moto does not do: a StartBuild with an idempotencyToken, or a RunTask with
  // a clientToken, seen before answers as the first did instead of starting another build or task,
  // and one whose parameters changed is refused (RunTask: ConflictException; StartBuild: a mismatch).
  const tokenReplies = new Map<
    string,
    { status: number; headers: Record<string, string>; body: Buffer; request: Buffer }
  >();
  const tokenOf = (operation: string, body: Buffer): string | undefined => {
    if (!/\.(StartBuild|RunTask)$/.test(operation)) return undefined;
    const parsed = JSON.parse(body.toString('utf8')) as { idempotencyToken?: string; clientToken?: string };
    const token = parsed.idempotencyToken ?? parsed.clientToken;
    return token === undefined ? undefined : `${operation}#${token}`;
  };

  const pass = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, loseAnswer = false) => {
    const operation = String(incoming.headers['x-amz-target'] ?? '');
    const token = tokenOf(operation, body);
    const known = token === undefined ? undefined : tokenReplies.get(token);
    if (known && token !== undefined && !known.request.equals(body)) {
      tokenConflicts.push(token);
      const type = operation.endsWith('.RunTask') ? 'ConflictException' : 'InvalidInputException';
      answerWithError(incoming, outgoing, 400, type, 'the client token was used before with other parameters');
      return;
    }
    if (known) {
      outgoing.writeHead(known.status, known.headers);
      outgoing.end(known.body);
      return;
    }
    forwarded.push({ target: operation, body: body.toString('utf8') });
    const upstreamRequest = forward(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const reply = {
            status: response.statusCode ?? 502,
            headers: response.headers as Record<string, string>,
            body: Buffer.concat(chunks),
          };
          if (token !== undefined && reply.status === 200) tokenReplies.set(token, { ...reply, request: body });
          if (loseAnswer) {
            answerWithError(incoming, outgoing, 500, 'InternalFailure', 'answer lost after the write (fault proxy)');
            return;
          }
          outgoing.writeHead(reply.status, reply.headers);
          outgoing.end(reply.body);
        });
      },
    );
    upstreamRequest.on('error', () => outgoing.destroy());
    upstreamRequest.end(body);
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const roll = random();
      // Lost answers take the lowest rolls; the rest of the failures split as they would without them.
      const lostBelow = settings.failureRate * (settings.lostAnswerShare ?? 0);
      if (roll < lostBelow) {
        faults['lost-answer'] += 1;
        pass(incoming, outgoing, body, true);
        return;
      }
      if (roll < settings.failureRate) {
        const within = roll - lostBelow;
        const span = settings.failureRate - lostBelow;
        const throttleBelow = span * settings.throttleShare;
        const kind =
          within < throttleBelow ? 'throttle' : within < (throttleBelow + span) / 2 ? 'server-error' : 'drop';
        faults[kind] += 1;
        if (kind === 'throttle') answerWithError(incoming, outgoing, 400, 'ThrottlingException', 'Rate exceeded');
        else if (kind === 'server-error')
          answerWithError(incoming, outgoing, 500, 'InternalFailure', 'injected by the fault proxy');
        else incoming.socket.destroy();
        return;
      }
      if (random() < settings.latencyRate) {
        faults.latency += 1;
        setTimeout(
          () => {
            pass(incoming, outgoing, body);
          },
          Math.floor(random() * settings.maxLatencyMs),
        );
        return;
      }
      pass(incoming, outgoing, body);
    });
  });
  const { url, close } = await listenLocally(server, 'fault proxy');
  return {
    endpoint: url,
    forwarded,
    faults,
    tokenConflicts,
    configure: (changes) => {
      Object.assign(settings, changes);
      if (changes.seed !== undefined) random = seededRandom(changes.seed);
    },
    forwardedBodies: (operation) => bodiesOf(forwarded, operation),
    close,
  };
}
