import { createServer, request as forward, type Server } from 'node:http';
import { bodiesOf, listenLocally } from './local-server.js';

export interface RecordedCall {
  /** `X-Amz-Target` of a JSON-protocol call, e.g. `CodeBuild_20161006.StartBuild`. */
  target: string;
  body: string;
  /** performance.now() when the request reached the proxy (benchmarks time a handler's first write by it). */
  arrivedAt: number;
}

export interface RecordingProxy {
  endpoint: string;
  calls: RecordedCall[];
  /** Bodies of the calls to one operation, parsed as JSON. */
  bodiesOf: (operation: string) => Record<string, unknown>[];
  close: () => Promise<void>;
}

/**
 * DynamoDB's writes, which AWS applies atomically, condition and all. moto's server answers requests
 * on threads and locks nothing, so two conditional writes to one item arriving together may both pass
 * their condition (a push delivered 5× at once once started its builds twice that way).
 */
const DYNAMODB_WRITE = /^DynamoDB_\d+\.(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/;

/**
 * An HTTP proxy between the conductor and the emulator that records every request: what the
 * conductor asked AWS for, where the emulator keeps no trace of it (moto drops StartBuild overrides).
 * It forwards DynamoDB's writes one at a time, as DynamoDB applies them; everything else at once.
 */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const target = new URL(upstream);
  let writes: Promise<void> = Promise.resolve();
  const server: Server = createServer((incoming, outgoing) => {
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '');
      calls.push({ target: operation, body: body.toString('utf8'), arrivedAt });
      const pass = () =>
        new Promise<void>((done) => {
          const upstreamRequest = forward(
            {
              host: target.hostname,
              port: target.port,
              path: incoming.url,
              method: incoming.method,
              headers: incoming.headers,
            },
            (response) => {
              outgoing.writeHead(response.statusCode ?? 502, response.headers);
              response.pipe(outgoing);
              // Either ends the write's turn; a second call does nothing.
              response.on('end', () => {
                done();
              });
              response.on('close', () => {
                done();
              });
            },
          );
          upstreamRequest.on('error', () => {
            outgoing.destroy();
            done();
          });
          upstreamRequest.end(body);
        });
      if (DYNAMODB_WRITE.test(operation)) writes = writes.then(pass);
      else void pass();
    });
  });
  const { url, close } = await listenLocally(server, 'recording proxy');
  return {
    endpoint: url,
    calls,
    bodiesOf: (operation) => bodiesOf(calls, operation),
    close,
  };
}
