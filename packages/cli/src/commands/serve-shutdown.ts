import type { Logger } from 'pino';

/** What a signal stops: anything with `close()`, e.g. an `OffgridServer`. */
interface Closable {
  close(): Promise<void>;
}

/** How `offgrid serve` ends: the exit function is replaceable for tests. */
export interface ShutdownOptions {
  /** The whole shutdown's deadline in ms; past it the process exits with code 1. */
  timeoutMs: number;
  logger: Logger;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * Stops `server` on SIGTERM or SIGINT and exits: 0 once it closed, 1 if it did not close within
 * `timeoutMs` (requests or WebSockets that would not end) or if closing failed. A second signal exits at
 * once with 1, for an operator who does not want to wait. Returns the handler it installed.
 *
 * @example
 * stopOnSignals(server, { timeoutMs: 10_000, logger })
 */
export function stopOnSignals(server: Closable, options: ShutdownOptions): (signal: NodeJS.Signals) => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, 'second signal: exiting without waiting for shutdown to finish');
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info({ signal, timeoutMs: options.timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      options.logger.warn({ timeoutMs: options.timeoutMs }, `shutdown did not finish within ${options.timeoutMs} ms (--shutdown-timeout); exiting`);
      exit(1);
    }, options.timeoutMs);
    server.close().then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        options.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return onSignal;
}
