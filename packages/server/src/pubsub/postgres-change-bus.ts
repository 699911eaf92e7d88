import { randomUUID } from 'node:crypto';
import { Client, DatabaseError } from 'pg';
import type { Notification } from 'pg';
import type { RecordStore, ServerRecord } from '../store/record-store';
import type { ChangeBus } from './change-bus';

export interface PostgresChangeBusOptions {
  connectionString: string;
  /** Where records announced by other processes are loaded from (`store.get`). */
  store: RecordStore;
  /**
   * NOTIFY channel shared by every process of one deployment. Default `offgrid_changes_<schema>`, with
   * `schema` the store's PostgreSQL schema (or `public`).
   */
  channel?: string;
  /** This process's id in notifications; default a random UUID. */
  origin?: string;
  /** First reconnect delay of the LISTEN connection; doubles up to `reconnectMaxDelayMs`. Default 100. */
  reconnectMinDelayMs?: number;
  /** Default 5000. */
  reconnectMaxDelayMs?: number;
  /**
   * Called after the LISTEN connection came back: notifications sent while it was down are lost, so
   * subscribers may have missed changes (clients catch up with a delta sync).
   */
  onReconnect?: () => void;
  /** Errors that have no caller to throw to (connection loss, a failing listener, a bad payload). */
  onError?: (error: unknown) => void;
}

/** One announced change: what a receiving process loads. */
export interface ChangeNotificationItem {
  model: string;
  key: string;
  seq: number;
}

/** The JSON payload of one NOTIFY. */
export interface ChangeNotificationPayload {
  origin: string;
  items: ChangeNotificationItem[];
}

/** NOTIFY payloads must stay under 8000 bytes; keep a margin. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7900;
/** Payloads kept while the connection is down, to send when it is back. */
const MAX_PENDING_PAYLOADS = 10_000;
/** Records remembered to deliver each committed state once. */
const DELIVERED_MEMORY = 50_000;

/**
 * Splits announced changes into NOTIFY payloads of at most `maxBytes` bytes each.
 * An item that cannot fit on its own (a key of several kilobytes) is returned in `tooLarge`.
 */
export function encodeChangeNotifications(
  origin: string,
  items: readonly ChangeNotificationItem[],
  maxBytes = MAX_NOTIFY_PAYLOAD_BYTES,
): { payloads: string[]; tooLarge: ChangeNotificationItem[] } {
  const payloads: string[] = [];
  const tooLarge: ChangeNotificationItem[] = [];
  const overhead = Buffer.byteLength(JSON.stringify({ origin, items: [] }));
  let chunk: string[] = [];
  let size = overhead;
  const flush = () => {
    if (chunk.length > 0) payloads.push(`{"origin":${JSON.stringify(origin)},"items":[${chunk.join(',')}]}`);
    chunk = [];
    size = overhead;
  };
  for (const item of items) {
    const json = JSON.stringify({ model: item.model, key: item.key, seq: item.seq });
    const bytes = Buffer.byteLength(json);
    if (overhead + bytes > maxBytes) {
      tooLarge.push(item);
      continue;
    }
    const extra = bytes + (chunk.length > 0 ? 1 : 0);
    if (size + extra > maxBytes) flush();
    size += bytes + (chunk.length > 0 ? 1 : 0);
    chunk.push(json);
  }
  flush();
  return { payloads, tooLarge };
}

function parsePayload(text: string): ChangeNotificationPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { origin, items } = value as { origin?: unknown; items?: unknown };
  if (typeof origin !== 'string' || !Array.isArray(items)) return undefined;
  const valid = items.filter(
    (item): item is ChangeNotificationItem =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as ChangeNotificationItem).model === 'string' &&
      typeof (item as ChangeNotificationItem).key === 'string' &&
      typeof (item as ChangeNotificationItem).seq === 'number',
  );
  return { origin, items: valid };
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/** The default channel of a PostgreSQL schema (kept within PostgreSQL's 63-byte identifier limit). */
export function defaultChangeChannel(schema: string): string {
  const channel = `offgrid_changes_${schema}`;
  return Buffer.byteLength(channel) <= 63 ? channel : `offgrid_changes_${fnv1a(schema)}`;
}

/**
 * A `ChangeBus` shared by every server process on one PostgreSQL database, over LISTEN/NOTIFY.
 *
 * `publish` hands the records to this process's listeners at once and announces `{ model, key, seq }`
 * of each on the channel; the other processes load the records from the store and hand them to their
 * listeners. Each committed state is delivered at most once per process; when a record changed again
 * before it was loaded, the newer state is delivered (and its own announcement is then skipped).
 * The LISTEN connection reconnects with backoff when it drops.
 *
 * @example
 * const bus = new PostgresChangeBus({ connectionString, store });
 * await bus.ready();
 * bus.subscribe((records) => deliverToSubscriptions(records));
 * const { written } = await store.transaction(...); bus.publish(written);
 */
export class PostgresChangeBus implements ChangeBus {
  /** This process's id in notifications. */
  readonly origin: string;
  readonly channel: string;
  private readonly options: PostgresChangeBusOptions;
  private readonly listeners = new Set<(records: ServerRecord[]) => void>();
  private readonly delivered = new Map<string, number>();
  private readonly pending: string[] = [];
  private sendChain: Promise<void> = Promise.resolve();
  private client: Client | undefined;
  private readonly dropped = new WeakSet<Client>();
  private inbound: Promise<void> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay: number;
  private connectedOnce = false;
  private closed = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;

  constructor(options: PostgresChangeBusOptions) {
    this.options = options;
    this.origin = options.origin ?? randomUUID();
    const schema = (options.store as { schema?: unknown }).schema;
    this.channel = options.channel ?? defaultChangeChannel(typeof schema === 'string' ? schema : 'public');
    if (Buffer.byteLength(this.channel) > 63) throw new RangeError(`Channel name "${this.channel}" is longer than 63 bytes.`);
    this.reconnectDelay = options.reconnectMinDelayMs ?? 100;
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    void this.connect();
  }

  /** Resolves once the channel is being listened to (notifications from others are received from then on). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** `application_name` of the LISTEN connection, to find it in `pg_stat_activity`. */
  get applicationName(): string {
    return `offgrid-change-bus ${this.origin}`.slice(0, 63);
  }

  publish(records: ServerRecord[]): void {
    if (records.length === 0 || this.closed) return;
    for (const record of records) this.remember(record);
    this.deliver(records);
    const { payloads, tooLarge } = encodeChangeNotifications(
      this.origin,
      records.map((r) => ({ model: r.model, key: r.key, seq: r.seq })),
    );
    if (tooLarge.length > 0) {
      this.report(new Error(`${tooLarge.length} change(s) have keys too long for a NOTIFY payload; other processes will not see them.`));
    }
    for (const payload of payloads) this.send(payload);
  }

  subscribe(listener: (records: ServerRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (let chain = this.sendChain; ; chain = this.sendChain) {
      await chain;
      if (chain === this.sendChain) break;
    }
    await this.inbound;
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.dropped.add(client);
      await client.query(`UNLISTEN ${escapeIdentifier(this.channel)}`).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
    this.listeners.clear();
    this.resolveReady();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.options.connectionString, application_name: this.applicationName });
    client.on('error', (error) => this.drop(client, error));
    client.on('end', () => this.drop(client));
    client.on('notification', (message) => this.receive(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${escapeIdentifier(this.channel)}`);
    } catch (error) {
      this.drop(client, error);
      return;
    }
    if (this.closed || this.dropped.has(client)) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelay = this.options.reconnectMinDelayMs ?? 100;
    const reconnected = this.connectedOnce;
    this.connectedOnce = true;
    this.resolveReady();
    for (const payload of this.pending.splice(0)) this.send(payload);
    if (reconnected) {
      try {
        this.options.onReconnect?.();
      } catch (error) {
        this.report(error);
      }
    }
  }

  private drop(client: Client, error?: unknown): void {
    if (this.dropped.has(client)) return;
    this.dropped.add(client);
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (error) this.report(error);
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.options.reconnectMaxDelayMs ?? 5000);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private send(payload: string): void {
    const client = this.client;
    if (!client) {
      this.pending.push(payload);
      if (this.pending.length > MAX_PENDING_PAYLOADS) {
        this.pending.shift();
        this.report(new Error('PostgresChangeBus: too many notifications queued while disconnected; dropped the oldest.'));
      }
      return;
    }
    // One query at a time on the connection (pg 9 will refuse queued queries), in publish order.
    const sent = this.sendChain
      .then(() => client.query('SELECT pg_notify($1, $2)', [this.channel, payload]))
      .then(
        () => undefined,
        (error: unknown) => {
          if (this.closed || error instanceof DatabaseError) {
            this.report(error);
            return;
          }
          // The connection went away mid-send: send it again after reconnecting (receivers deduplicate).
          this.drop(client, error);
          this.send(payload);
        },
      );
    this.sendChain = sent;
  }

  private receive(message: Notification): void {
    if (message.channel !== this.channel || message.payload === undefined || this.closed) return;
    const payload = parsePayload(message.payload);
    if (!payload) {
      this.report(new Error(`PostgresChangeBus: ignored a malformed notification on ${this.channel}.`));
      return;
    }
    if (payload.origin === this.origin || payload.items.length === 0) return;
    // Keep the order of notifications: load and deliver one after the other.
    this.inbound = this.inbound.then(() => this.load(payload.items)).catch((error: unknown) => this.report(error));
  }

  private async load(items: ChangeNotificationItem[]): Promise<void> {
    // One read per model for the whole notification, not one per record.
    const keysByModel = new Map<string, string[]>();
    for (const item of items) {
      const keys = keysByModel.get(item.model) ?? [];
      keys.push(item.key);
      keysByModel.set(item.model, keys);
    }
    const current = new Map<string, ServerRecord>();
    await Promise.all(
      [...keysByModel].map(async ([model, keys]) => {
        try {
          for (const record of await this.options.store.getMany(model, keys)) current.set(`${model}\u0000${record.key}`, record);
        } catch (error) {
          this.report(error);
        }
      }),
    );
    const records: ServerRecord[] = [];
    const inBatch = new Set<string>();
    items.forEach((item) => {
      const record = current.get(`${item.model}\u0000${item.key}`);
      // Purged, or not committed yet as far as this connection can tell: nothing to deliver.
      if (!record || record.seq < item.seq) return;
      const id = `${record.model}\u0000${record.key}`;
      if (inBatch.has(id) || (this.delivered.get(id) ?? -1) >= record.seq) return;
      inBatch.add(id);
      this.remember(record);
      records.push(record);
    });
    if (records.length > 0 && !this.closed) this.deliver(records);
  }

  private remember(record: ServerRecord): void {
    const id = `${record.model}\u0000${record.key}`;
    if ((this.delivered.get(id) ?? -1) >= record.seq) return;
    this.delivered.delete(id);
    this.delivered.set(id, record.seq);
    if (this.delivered.size > DELIVERED_MEMORY) {
      const oldest = this.delivered.keys().next();
      if (!oldest.done) this.delivered.delete(oldest.value);
    }
  }

  private deliver(records: ServerRecord[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(records);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}

function escapeIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

