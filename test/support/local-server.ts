import type { Server } from 'node:http';

/** A test server listening on a free port of 127.0.0.1. */
export interface LocalServer {
  url: string;
  /** Stops listening and drops open connections (keep-alive sockets would hold it open). */
  close: () => Promise<void>;
}

/** Starts `server` on a free port of 127.0.0.1; `name` says which server failed to get one. */
export async function listenLocally(server: Server, name: string): Promise<LocalServer> {
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${name} has no port`);
  return {
    url: `http://127.0.0.1:${String(address.port)}`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => {
          resolveClose();
        });
      }),
  };
}

/** Bodies of the recorded AWS calls to one operation (X-Amz-Target `….Operation`), parsed as JSON. */
export function bodiesOf(
  calls: readonly { target: string; body: string }[],
  operation: string,
): Record<string, unknown>[] {
  return calls
    .filter((call) => call.target.endsWith(`.${operation}`))
    .map((call) => JSON.parse(call.body) as Record<string, unknown>);
}
