import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SqliteValue } from '../sqlite-driver';
import type { OpfsRequest, OpfsResponse } from './opfs-protocol';
import { type HostDatabase, SqliteHost } from './sqlite-host';

// The host's arbitration, on a real SQLite (better-sqlite3 standing in for SQLite on OPFS in the worker).
function memoryDatabase(): HostDatabase {
  const db = new Database(':memory:');
  const params = (p: readonly SqliteValue[]) => p as SqliteValue[];
  return {
    exec: (sql) => void db.exec(sql),
    run: (sql, p) => db.prepare(sql).run(...params(p)),
    get: (sql, p) => db.prepare(sql).get(...params(p)) as Record<string, SqliteValue> | undefined,
    all: (sql, p) => db.prepare(sql).all(...params(p)) as Record<string, SqliteValue>[],
    inTransaction: () => db.inTransaction,
    close: () => db.close(),
  };
}

function setup() {
  const answers: OpfsResponse[] = [];
  const watched: string[] = [];
  const host = new SqliteHost(memoryDatabase(), 'epoch-1', (res) => answers.push(res), (client) => watched.push(client));
  let id = 0;
  const send = (client: string, sql: string, op: 'run' | 'all' | 'exec' = 'run', epoch = 'epoch-1') => {
    const req = (op === 'exec' ? { kind: 'req', client, epoch, id: ++id, op, sql } : { kind: 'req', client, epoch, id: ++id, op, sql, params: [] }) as OpfsRequest;
    host.submit(req, client === 'local' ? 'local' : 'remote');
    return req.id;
  };
  const answer = (reqId: number) => answers.find((a) => a.id === reqId);
  send('local', 'CREATE TABLE t (v TEXT)', 'exec');
  return { host, send, answer, watched };
}

describe('SqliteHost: one connection, several tabs', () => {
  it("holds other clients' statements while one client's transaction is open, then runs them in order", () => {
    const { send, answer } = setup();
    send('a', 'BEGIN IMMEDIATE');
    send('a', "INSERT INTO t VALUES ('a1')");
    const bRead = send('b', 'SELECT v FROM t', 'all');
    const bWrite = send('b', "INSERT INTO t VALUES ('b1')");
    // b's read must not see a's uncommitted row, so it waits.
    expect(answer(bRead)).toBeUndefined();
    expect(answer(bWrite)).toBeUndefined();
    send('a', 'COMMIT');
    expect(answer(bRead)).toMatchObject({ ok: true, value: [{ v: 'a1' }] });
    expect(answer(bWrite)).toMatchObject({ ok: true });
    const all = send('a', 'SELECT v FROM t ORDER BY v', 'all');
    expect(answer(all)).toMatchObject({ ok: true, value: [{ v: 'a1' }, { v: 'b1' }] });
  });

  it('rolls back the transaction of a client that died, so nobody waits forever', () => {
    const { host, send, answer, watched } = setup();
    send('a', 'BEGIN IMMEDIATE');
    send('a', "INSERT INTO t VALUES ('lost')");
    expect(watched).toEqual(['a']);
    const bRead = send('b', 'SELECT v FROM t', 'all');
    expect(answer(bRead)).toBeUndefined();
    host.clientGone('a');
    expect(answer(bRead)).toMatchObject({ ok: true, value: [] });
    // A late statement of the dead client is dropped, not run outside its transaction.
    const late = send('a', "INSERT INTO t VALUES ('late')");
    expect(answer(late)).toBeUndefined();
    expect(answer(send('b', 'SELECT count(*) AS n FROM t', 'all'))).toMatchObject({ value: [{ n: 0 }] });
  });

  it('refuses a statement meant for an earlier owner instead of running it outside its transaction', () => {
    const { send, answer } = setup();
    const stale = send('b', "INSERT INTO t VALUES ('x')", 'run', 'epoch-0');
    expect(answer(stale)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/closed before this statement ran/) } });
    expect(answer(send('b', 'SELECT count(*) AS n FROM t', 'all'))).toMatchObject({ value: [{ n: 0 }] });
  });

  it('reports a failing statement to its client and keeps serving', () => {
    const { send, answer } = setup();
    const bad = send('a', 'INSERT INTO missing VALUES (1)');
    expect(answer(bad)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no such table: missing/) } });
    expect(answer(send('b', 'SELECT count(*) AS n FROM t', 'all'))).toMatchObject({ ok: true, value: [{ n: 0 }] });
  });

  it('refuses what is queued when it closes', () => {
    const { host, send, answer } = setup();
    send('a', 'BEGIN IMMEDIATE');
    const waiting = send('b', 'SELECT v FROM t', 'all');
    host.close();
    expect(answer(waiting)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/closed/) } });
  });
});
