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
 * An HTTP proxy between the conductor and the emulator that records every request: what the
 * conductor asked AWS for, where the emulator keeps no trace of it (moto drops StartBuild overrides).
 */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const target = new URL(upstream);
  const server: Server = createServer((incoming, outgoing) => {
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      calls.push({ target: String(incoming.headers['x-amz-target'] ?? ''), body: body.toString('utf8'), arrivedAt });
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
        },
      );
      upstreamRequest.on('error', () => outgoing.destroy());
      upstreamRequest.end(body);
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
