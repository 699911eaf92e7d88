import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { safeLogDestination } from './serve-logger';
import { stopOnSignals } from './serve-shutdown';

const silent = pino({ level: 'silent' });
const installed: Array<(signal: NodeJS.Signals) => void> = [];
afterEach(() => {
  for (const handler of installed.splice(0)) process.removeListener('SIGUSR2', handler);
});

/** Installs the shutdown handler on SIGUSR2 (never sent) and returns it, with the exit codes it asked for. */
function install(close: () => Promise<void>, timeoutMs: number) {
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  const handler = stopOnSignals({ close }, { timeoutMs, logger: silent, signals: ['SIGUSR2'], exit: (code) => {
      exits.push(code);
      exited(code);
    },
  });
  installed.push(handler);
  return { handler, exits, firstExit };
}

describe('stopOnSignals', () => {
  it('exits 0 once the server has closed', async () => {
    const { handler, firstExit } = install(() => Promise.resolve(), 60_000);
    handler('SIGTERM');
    expect(await firstExit).toBe(0);
  });

  it('exits 1 at the deadline when closing never finishes', async () => {
    const { handler, firstExit } = install(() => new Promise(() => undefined), 50);
    handler('SIGTERM');
    expect(await firstExit).toBe(1);
  });

  it('exits 1 at once on a second signal, without waiting for the deadline', async () => {
    const { handler, exits } = install(() => new Promise(() => undefined), 60_000);
    handler('SIGTERM');
    expect(exits).toEqual([]);
    handler('SIGTERM');
    expect(exits).toEqual([1]);
  });

  it('exits 1 when closing fails', async () => {
    const { handler, firstExit } = install(() => Promise.reject(new Error('database gone')), 60_000);
    handler('SIGINT');
    expect(await firstExit).toBe(1);
  });
});

describe('safeLogDestination', () => {
  it('stops writing after a write error (EPIPE) instead of throwing, and counts what it dropped', async () => {
    const out = new PassThrough();
    const destination = safeLogDestination(out);
    destination.write('one\n');
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(destination.broken).toBe(true);
    expect(() => destination.write('two\n')).not.toThrow();
    expect(destination.dropped).toBe(1);
    expect(String(out.read())).toBe('one\n');
  });

  it('drops lines instead of growing without bound when the reader stops reading', () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const destination = safeLogDestination(out);
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 10_000; i++) destination.write(line);
    expect(destination.dropped).toBeGreaterThan(0);
    expect(out.writableLength).toBeLessThanOrEqual(8 * 1024 * 1024 + line.length);
  });
});
