/** PostgreSQL adapter (pg Pool): `?` placeholders numbered as $n, transactions on one pooled client. */
import pg from 'pg';
import type { Db, SqlRunner } from './db.ts';

const INT8_OID = 20;

/** Replaces each `?` outside quoted literals and identifiers with $1, $2, … */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === '?' ? `$${++n}` : match));
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
}

function runnerOver(client: Queryable): SqlRunner {
  return {
    dialect: 'postgres',
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(numberPlaceholders(sql), [...params])).rows as Row[],
    run: async (sql, params = []) => (await client.query(numberPlaceholders(sql), [...params])).rowCount ?? 0,
    exec: async (sql) => void (await client.query(sql)),
  };
}

export function openPostgresDb(url: string): Db {
  // Timestamps are stored as BIGINT epoch milliseconds in both dialects; pg would return them as
  // strings (int8 can exceed 2^53), but milliseconds until the year 287396 fit a JS number.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // An idle client whose connection dies emits 'error' on the pool; unhandled, that would crash
  // the process. The pool discards that client, and the next query reports the outage.
  pool.on('error', () => {});

  return {
    ...runnerOver(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(runnerOver(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A client that cannot even roll back is broken: release(true) destroys it.
        const rolledBack = await client.query('ROLLBACK').then(() => true, () => false);
        client.release(!rolledBack);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
