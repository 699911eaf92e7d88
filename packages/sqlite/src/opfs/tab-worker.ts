import type { OpfsRequest, OpfsResponse, OpfsWorkerCommand, OpfsWorkerEvent } from './opfs-protocol';

type Opened = Extract<OpfsWorkerEvent, { kind: 'ready' | 'failed' }>;

/** One worker per factory and tab: loading SQLite's WebAssembly once, not once per database opened. */
const workers = new Map<() => Worker, TabWorker>();

/**
 * This tab's SQLite worker, shared by every database file the tab owns: opens and closes files in it and
 * routes each answer to the client that asked.
 *
 * @example
 * const tab = TabWorker.for(() => new Worker(url, { type: 'module' }))
 * const opened = await tab.open('todos.db', names)
 */
export class TabWorker {
  private readonly clients = new Map<string, (response: OpfsResponse) => void>();
  private readonly opening = new Map<string, (event: Opened) => void>();
  private readonly closing = new Map<string, () => void>();

  private constructor(
    private readonly worker: Worker,
    private readonly forget: () => void,
  ) {
    worker.onmessage = (event: MessageEvent<OpfsWorkerEvent>) => this.receive(event.data);
    worker.onerror = (event) => {
      // Handled here (reported as unavailable), not left to reach the page as an uncaught error.
      event.preventDefault();
      this.crashed(`the OPFS worker failed: ${event.message || 'it could not be loaded'}`);
    };
  }

  /** The tab's worker made by `factory`, started on first use. */
  static for(factory: () => Worker): TabWorker {
    let tab = workers.get(factory);
    if (!tab) {
      tab = new TabWorker(factory(), () => workers.delete(factory));
      workers.set(factory, tab);
    }
    return tab;
  }

  private receive(message: OpfsWorkerEvent): void {
    switch (message.kind) {
      case 'res':
        this.clients.get(message.client)?.(message);
        return;
      case 'ready':
      case 'failed':
        this.opening.get(message.file)?.(message);
        this.opening.delete(message.file);
        return;
      case 'closed':
        this.closing.get(message.file)?.();
        this.closing.delete(message.file);
        return;
    }
  }

  private crashed(message: string): void {
    this.forget();
    this.worker.terminate();
    for (const [file, done] of this.opening) done({ kind: 'failed', file, message, unavailable: true });
    this.opening.clear();
    for (const done of this.closing.values()) done();
    this.closing.clear();
  }

  /** Opens `file` in the worker; resolves with `ready` (and its epoch) or `failed`. */
  open(file: string, names: { channel: string; clientLockPrefix: string }): Promise<Opened> {
    return new Promise((resolve) => {
      this.opening.set(file, resolve);
      this.post({ kind: 'open', file, channel: names.channel, clientLockPrefix: names.clientLockPrefix });
    });
  }

  /** Closes `file` and releases its OPFS access handles; the worker stays for the next open. */
  close(file: string): Promise<void> {
    return new Promise((resolve) => {
      this.closing.set(file, resolve);
      this.post({ kind: 'close', file });
    });
  }

  /** Sends one statement of `file`; the answer goes to the handler registered for `req.client`. */
  send(file: string, req: OpfsRequest): void {
    this.post({ kind: 'local', file, req });
  }

  register(client: string, onResponse: (response: OpfsResponse) => void): void {
    this.clients.set(client, onResponse);
  }

  unregister(client: string): void {
    this.clients.delete(client);
  }

  private post(command: OpfsWorkerCommand): void {
    this.worker.postMessage(command);
  }
}
