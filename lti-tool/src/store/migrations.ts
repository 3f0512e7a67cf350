/** The schema, as one ordered list of numbered migrations applied in a transaction and recorded in schema_migrations. */
import type { Db, Dialect } from './db.ts';
import { ISSUANCE_MIGRATIONS } from './issuance-migrations.ts';
import { LMS_MIGRATIONS } from './lms-migrations.ts';
import { LTI_MIGRATIONS } from './lti-migrations.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Portable SQL, or one script per dialect where the types differ. */
  readonly sql: string | Readonly<Record<Dialect, string>>;
}

// Conventions that keep one script valid in both dialects: timestamps are BIGINT epoch
// milliseconds, JSON is TEXT, and statuses are plain TEXT without CHECK constraints because SQLite
// can only change a CHECK by rebuilding the table. Append new migrations; never edit applied ones.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'issuer_keys',
    sql: `
      CREATE TABLE issuer_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        encrypted_private_key TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        retired_at BIGINT
      );
      -- At most one active key, so instances racing to create the first key cannot both win.
      CREATE UNIQUE INDEX issuer_keys_one_active ON issuer_keys (status) WHERE status = 'active';
    `,
  },
  // In version order (the store test compares this list with the recorded versions): LTI 100–199, issuance 200–299, LMS 300–399.
  ...LTI_MIGRATIONS,
  ...ISSUANCE_MIGRATIONS,
  ...LMS_MIGRATIONS,
];

/** Applies the migrations the database lacks; resolves to the versions applied now. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, now = Date.now): Promise<number[]> {
  return db.transaction(async (tx) => {
    // Two instances starting together: the lock makes the second wait for the first to commit and
    // then find nothing left to do. It must come before CREATE TABLE IF NOT EXISTS, which is not
    // safe against a concurrent create in PostgreSQL. SQLite's BEGIN IMMEDIATE already serializes.
    if (tx.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('microcred schema migrations'))`);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await tx.exec(typeof migration.sql === 'string' ? migration.sql : migration.sql[tx.dialect]);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, now()]);
    }
    return pending.map((m) => m.version);
  });
}
