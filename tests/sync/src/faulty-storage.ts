import type { NormalizedSchema } from '@offgrid/schema';
import type { StorageAdapter, StorageReader, StorageWriter } from '@offgrid/core';

/** What a write transaction did so far, for deciding whether to fail it. */
export interface WriteTrace {
  calls: Array<{ method: string; args: unknown[] }>;
}

/**
 * A storage adapter wrapper that makes chosen write transactions fail, as a full disk, a quota error or a
 * process dying mid-transaction would. `failWhen(test)` fails the transaction at the first call for which
 * `test` returns true (the whole transaction rolls back); with `dead` set, every write fails from then on
 * (the client "died" and must be reopened on the inner adapter).
 *
 * @example
 * const storage = new FaultyStorage(new MemoryAdapter()); storage.failWhen((call) => call.method === 'setMeta', { once: true })
 */
export class FaultyStorage implements StorageAdapter {
  readonly name: string;
  private rule: { test: (call: { method: string; args: unknown[] }, trace: WriteTrace) => boolean; once: boolean; dead: boolean } | undefined;
  /** Set after a `dead` failure: every later write fails. */
  dead = false;
  /** Failures injected so far. */
  failures = 0;

  constructor(readonly inner: StorageAdapter) {
    this.name = `faulty-${inner.name}`;
  }

  /** Fails the next write transaction that makes a call matching `test`. */
  failWhen(test: (call: { method: string; args: unknown[] }, trace: WriteTrace) => boolean, options: { once?: boolean; dead?: boolean } = {}): void {
    this.rule = { test, once: options.once ?? true, dead: options.dead ?? false };
  }

  open(): Promise<NormalizedSchema | undefined> {
    return this.inner.open();
  }
  prepare(schema: NormalizedSchema): Promise<void> {
    return this.inner.prepare(schema);
  }
  reset(): Promise<void> {
    return this.inner.reset();
  }
  read<T>(fn: (tx: StorageReader) => Promise<T>): Promise<T> {
    return this.inner.read(fn);
  }
  write<T>(fn: (tx: StorageWriter) => Promise<T>): Promise<T> {
    if (this.dead) return Promise.reject(new Error('injected: the client is dead'));
    return this.inner.write((tx) => {
      const trace: WriteTrace = { calls: [] };
      const wrapped = new Proxy(tx, {
        get: (target, prop, receiver) => {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const call = { method: String(prop), args };
            trace.calls.push(call);
            const rule = this.rule;
            if (rule && (this.dead || rule.test(call, trace))) {
              if (rule.once) this.rule = undefined;
              if (rule.dead) this.dead = true;
              this.failures++;
              throw new Error(`injected storage failure in ${call.method}`);
            }
            return value.apply(target, args);
          };
        },
      });
      return fn(wrapped);
    });
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
