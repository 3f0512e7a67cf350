/** A throwaway PostgreSQL cluster for a benchmark, started the way the tests start one (fsync off: figures are CPU and protocol, not disk). */
import pg from 'pg';
import startTestPostgres from '../test/setup/global.ts';

/** Runs `measure` with the URL of a fresh database; says so and returns when PostgreSQL cannot start here. */
export async function withBenchPostgres(database: string, measure: (url: string) => Promise<void>): Promise<void> {
  const provided: Record<string, string> = {};
  let stop: (() => void) | undefined;
  try {
    stop = await startTestPostgres({ provide: (key: string, value: string) => void (provided[key] = value) } as never);
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    const adminUrl = provided.pgUrl as string;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    await measure(url.toString());
  } finally {
    stop?.();
  }
}
