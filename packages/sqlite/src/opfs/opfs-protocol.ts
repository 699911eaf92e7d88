import type { SqliteRunResult, SqliteValue } from '../sqlite-driver';

/** One statement a client asks the owning worker to run. `epoch` names the worker it was meant for. */
export type OpfsRequest =
  | { kind: 'req'; client: string; epoch: string; id: number; op: 'exec'; sql: string }
  | { kind: 'req'; client: string; epoch: string; id: number; op: 'run' | 'get' | 'all'; sql: string; params: SqliteValue[] }
  | { kind: 'req'; client: string; epoch: string; id: number; op: 'runMany'; sql: string; paramLists: SqliteValue[][] };

/** The answer to one {@link OpfsRequest}; `inTx` says whether the client's transaction is still open. */
export type OpfsResponse =
  | { kind: 'res'; client: string; id: number; inTx: boolean; ok: true; value: OpfsResult }
  | { kind: 'res'; client: string; id: number; inTx: boolean; ok: false; error: { message: string; code?: number; notRun?: boolean } };

export type OpfsResult = undefined | SqliteRunResult | SqliteRunResult[] | Record<string, SqliteValue> | Record<string, SqliteValue>[];

/** What the worker says on the tabs' channel: it serves the database (`up`), or stopped (`down`). */
export type OpfsOwnerNotice = { kind: 'owner-up'; epoch: string } | { kind: 'owner-down'; epoch: string };

/** A client that just joined asks who serves the database. */
export interface OpfsPing {
  kind: 'ping';
}

/** A client going away: the worker forgets its queued statements and ends its transaction. */
export interface OpfsBye {
  kind: 'bye';
  client: string;
}

/** Everything sent on the tabs' BroadcastChannel. */
export type OpfsChannelMessage = OpfsRequest | OpfsResponse | OpfsOwnerNotice | OpfsPing | OpfsBye;

/** From a tab to its worker, which may serve several database files. */
export type OpfsWorkerCommand =
  | { kind: 'open'; file: string; channel: string; clientLockPrefix: string }
  | { kind: 'close'; file: string }
  | { kind: 'local'; file: string; req: OpfsRequest }
  | { kind: 'bye'; file: string; client: string };

/** From the worker to its tab. */
export type OpfsWorkerEvent =
  | { kind: 'ready'; file: string; epoch: string }
  | { kind: 'failed'; file: string; message: string; unavailable: boolean }
  | { kind: 'closed'; file: string }
  | OpfsResponse;

/** Names derived from a database file, shared by every tab of the origin. */
export function opfsNames(file: string): { channel: string; ownerLock: string; clientLockPrefix: string } {
  return {
    channel: `offgrid-opfs:${file}`,
    ownerLock: `offgrid-opfs:${file}:owner`,
    clientLockPrefix: `offgrid-opfs:${file}:client:`,
  };
}
