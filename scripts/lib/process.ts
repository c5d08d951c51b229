import { createServer } from 'node:net';
/** Helpers of the long-running scripts (`npm start`, `npm run emulator`). */

/**
 * Settles on the first SIGINT or SIGTERM. The handlers stay installed, so further Ctrl-Cs while
 * the script cleans up do not kill it halfway and leave children behind.
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** A TCP port from an option or environment variable, or the fallback when unset. */
export function portOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${name} must be a TCP port number, not "${value}"`);
  return port;
}

/** Runs a script's main function; a failure prints its message, not a stack, and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

/** Why a port on 127.0.0.1 cannot be listened on now (e.g. EADDRINUSE), or undefined when it is free. */
export function portUnavailable(port: number): Promise<string | undefined> {
  return new Promise((resolveCheck) => {
    const server = createServer();
    server.once('error', (error) => {
      resolveCheck(error.message);
    });
    server.listen(port, '127.0.0.1', () =>
      server.close(() => {
        resolveCheck(undefined);
      }),
    );
  });
}
