/**
 * Runs write transactions one after another. Storage engines allow one writer at a time anyway; queueing
 * in JavaScript keeps a transaction's async body from interleaving with another's. Reads never wait here.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
