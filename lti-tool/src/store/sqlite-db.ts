/** SQLite adapter (better-sqlite3): one file, WAL journal, writers serialized by BEGIN IMMEDIATE. */
import { realpathSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db, SqlParam, SqlRunner } from './db.ts';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * better-sqlite3 waits for a lock by blocking the thread. If two connections in one process share
 * a file and one holds the write lock across an `await`, the other would block the very thread
 * that must release it. So every statement on a file goes through one promise queue per file in
 * this process; other processes are kept apart by SQLite's own locking and the busy timeout.
 */
const fileQueues = new Map<string, Promise<unknown>>();

function inFileQueue<T>(file: string, task: () => T | Promise<T>): Promise<T> {
  const result = (fileQueues.get(file) ?? Promise.resolve()).then(task);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  fileQueues.set(file, tail);
  void tail.then(() => {
    if (fileQueues.get(file) === tail) fileQueues.delete(file);
  });
  return result;
}

export function openSqliteDb(file: string): Db {
  const sqlite = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const queueKey = realpathSync(file);

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = sqlite.prepare(sql)));
    return statement;
  };

  const direct: SqlRunner = {
    dialect: 'sqlite',
    query: async <Row>(sql: string, params: readonly SqlParam[] = []) => prepare(sql).all(...params) as Row[],
    run: async (sql, params = []) => prepare(sql).run(...params).changes,
    exec: async (sql) => void sqlite.exec(sql),
  };

  return {
    dialect: 'sqlite',
    query: (sql, params) => inFileQueue(queueKey, () => direct.query(sql, params)),
    run: (sql, params) => inFileQueue(queueKey, () => direct.run(sql, params)),
    exec: (sql) => inFileQueue(queueKey, () => direct.exec(sql)),
    transaction: (work) =>
      inFileQueue(queueKey, async () => {
        // IMMEDIATE takes the write lock up front; a deferred transaction that upgrades later can
        // fail with SQLITE_BUSY at once, without the busy timeout ever being tried.
        sqlite.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(direct);
          sqlite.exec('COMMIT');
          return result;
        } catch (error) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => inFileQueue(queueKey, () => void sqlite.close()),
  };
}
