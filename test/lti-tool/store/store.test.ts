import { afterEach, describe, expect, test } from 'vitest';
import { MIGRATIONS, migrate } from '../../../lti-tool/src/store/migrations.ts';
import { openDb, openStore, type Store } from '../../../lti-tool/src/store/open-store.ts';
import { numberPlaceholders } from '../../../lti-tool/src/store/postgres-db.ts';
import { STORE_KINDS, freshSqliteDir, freshStoreOptions } from '../../setup/databases.ts';

const opened: { close(): Promise<void> }[] = [];
const track = <T extends { close(): Promise<void> }>(closable: T): T => (opened.push(closable), closable);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

describe.each(STORE_KINDS)('store on %s', (kind) => {
  test('when the store is opened twice, then each migration is applied and recorded once', async () => {
    const options = await freshStoreOptions(kind);
    await (await openStore(options)).close();
    const second: Store = track(await openStore(options));
    expect(second.dialect).toBe(kind);

    const db = track(openDb(options));
    const recorded = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(recorded.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  test('when several instances start at once on an empty database, then all open and migrations run once', async () => {
    const options = await freshStoreOptions(kind);
    const stores = await Promise.all([1, 2, 3].map(() => openStore(options)));
    stores.forEach(track);
    const db = track(openDb(options));
    // Also proves BIGINT results arrive as numbers in both dialects.
    expect(await db.query('SELECT COUNT(*) AS count FROM schema_migrations')).toEqual([{ count: MIGRATIONS.length }]);
  });

  test('when a transaction fails, then none of its writes remain', async () => {
    const db = track(openDb(await freshStoreOptions(kind)));
    await db.exec('CREATE TABLE t (v INTEGER)');
    const failing = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (v) VALUES (?)', [1]);
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await db.query('SELECT v FROM t')).toEqual([]);
    expect(await db.transaction((tx) => tx.run('INSERT INTO t (v) VALUES (?)', [2]))).toBe(1);
  });

  test('when a migration fails, then the earlier ones of the same run are rolled back too', async () => {
    const db = track(openDb(await freshStoreOptions(kind)));
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE first_table (id INTEGER)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE first_table (id INTEGER)' },
    ];
    await expect(migrate(db, broken)).rejects.toThrow();
    expect(await migrate(db, broken.slice(0, 1))).toEqual([1]);
  });
});

describe('choosing the database', () => {
  test('when DATABASE_URL is not a PostgreSQL URL, then opening fails with STORE_URL_UNSUPPORTED without echoing it', () => {
    const attempt = () => openDb({ databaseUrl: 'mysql://root:hunter2@db/app', dataDir: freshSqliteDir() });
    expect(attempt).toThrow(expect.objectContaining({ code: 'STORE_URL_UNSUPPORTED' }));
    expect(attempt).not.toThrow(/hunter2/);
  });

  test('when DATABASE_URL is empty, then the SQLite file in the data directory is used', async () => {
    const store = track(await openStore({ databaseUrl: '', dataDir: freshSqliteDir() }));
    expect(store.dialect).toBe('sqlite');
  });
});

describe('PostgreSQL placeholders', () => {
  test('each ? becomes $n, except inside quoted literals and identifiers', () => {
    expect(numberPlaceholders(`SELECT ?, 'a?''?', "b?" FROM t WHERE x = ? AND y = ?`)).toBe(
      `SELECT $1, 'a?''?', "b?" FROM t WHERE x = $2 AND y = $3`,
    );
  });
});
