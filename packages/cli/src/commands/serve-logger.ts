import { pino, type Logger } from 'pino';

/** Bytes of log lines allowed to wait for a slow reader before new lines are dropped (and counted). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** What pino writes to: the process's stdout, made safe against a reader that is gone or stalled. */
export interface ServeLogDestination {
  write(line: string): void;
  /** Lines dropped because the reader was gone (EPIPE) or too slow. */
  readonly dropped: number;
  /** True once a write failed; nothing more is written. */
  readonly broken: boolean;
}

/**
 * A log destination over `out` (stdout by default) that never stalls the process: a write error (EPIPE when
 * the parent or the log shipper is gone) stops logging instead of throwing or retrying, and a reader that
 * stops reading costs at most {@link MAX_BUFFERED_BYTES} of memory. pino's default destination, by
 * contrast, retries a failed write forever in its exit hook, so `offgrid serve` never exited on SIGTERM
 * once its stdout pipe was closed.
 *
 * @example
 * const logger = pino({ level: 'info' }, safeLogDestination())
 */
export function safeLogDestination(out: NodeJS.WriteStream | NodeJS.WritableStream = process.stdout): ServeLogDestination {
  let broken = false;
  let dropped = 0;
  // A write error is reported asynchronously on the stream; without a listener it would crash the process.
  out.on('error', () => {
    broken = true;
  });
  return {
    write(line) {
      if (broken || ('writableLength' in out && out.writableLength > MAX_BUFFERED_BYTES)) {
        dropped++;
        return;
      }
      try {
        out.write(line);
      } catch {
        broken = true;
        dropped++;
      }
    },
    get dropped() {
      return dropped;
    },
    get broken() {
      return broken;
    },
  };
}

/**
 * The logger of `offgrid serve`: JSON lines on stdout through {@link safeLogDestination}, at
 * `OFFGRID_LOG_LEVEL` (default `info`).
 *
 * @example
 * const logger = createServeLogger(process.env.OFFGRID_LOG_LEVEL)
 */
export function createServeLogger(level = 'info', out?: NodeJS.WriteStream | NodeJS.WritableStream): Logger {
  return pino({ level }, safeLogDestination(out));
}
