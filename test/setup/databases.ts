/** A fresh database per test file (PostgreSQL) or per test (SQLite directory), so test files run in parallel. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export type StoreKind = 'sqlite' | 'postgres';

/** Both kinds, unless the run was told to skip PostgreSQL (prepare.mjs and global.ts say so loudly). */
export const STORE_KINDS: readonly StoreKind[] = inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

/** Creates an empty database in the test cluster and returns its URL. */
export async function freshPgUrl(): Promise<string> {
  const adminUrl = inject('pgUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available in this run (MICROCRED_SKIP_PG=1).');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An empty directory inside the run's scratch directory (removed after the run). */
export function freshSqliteDir(): string {
  return mkdtempSync(join(inject('scratchDir'), 'sqlite-'));
}

/** Store options for a fresh, empty database of the given kind. */
export async function freshStoreOptions(kind: StoreKind): Promise<{ databaseUrl?: string; dataDir: string }> {
  const dataDir = freshSqliteDir();
  return kind === 'postgres' ? { databaseUrl: await freshPgUrl(), dataDir } : { dataDir };
}
