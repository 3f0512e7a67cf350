/**
 * Rows of jobs: background work (AGS results sync, bulk issuance) kept in the database so that
 * several tool instances share it. A job is claimed with a lease; a crashed instance's lease runs
 * out and another instance takes the job over. Failures are retried with exponential backoff.
 */
import type { Db } from './db.ts';

export type JobState = 'pending' | 'running' | 'done' | 'failed';

export interface JobRecord {
  readonly id: string;
  readonly kind: string;
  readonly dedupeKey: string | null;
  readonly payload: unknown;
  readonly state: JobState;
  readonly runAt: Date;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly progressDone: number;
  readonly progressTotal: number | null;
}

interface JobRow {
  id: string;
  kind: string;
  dedupe_key: string | null;
  payload: string;
  state: JobState;
  run_at: number;
  attempts: number;
  last_error: string | null;
  progress_done: number;
  progress_total: number | null;
}

const COLUMNS = 'id, kind, dedupe_key, payload, state, run_at, attempts, last_error, progress_done, progress_total';

function recordOf(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    dedupeKey: row.dedupe_key,
    payload: JSON.parse(row.payload),
    state: row.state,
    runAt: new Date(Number(row.run_at)),
    attempts: Number(row.attempts),
    lastError: row.last_error,
    progressDone: Number(row.progress_done),
    progressTotal: row.progress_total === null ? null : Number(row.progress_total),
  };
}

/** Backoff after the nth failed attempt: 30 s, 60 s, 120 s … capped at one hour. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export class JobRepository {
  constructor(private readonly db: Db) {}

  /**
   * Queues a job; with a dedupe key, a job already pending or running for that key is kept and
   * nothing is added (resolves to false), so a burst of launches queues one sync.
   */
  async enqueue(job: { id: string; kind: string; dedupeKey?: string; payload: unknown; runAt: number; now: number }): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO jobs (id, kind, dedupe_key, payload, state, run_at, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, 0, ?, ?) ON CONFLICT DO NOTHING`,
      [job.id, job.kind, job.dedupeKey ?? null, JSON.stringify(job.payload), job.runAt, job.now, job.now],
    );
    return changed === 1;
  }

  /** Takes the oldest due job of `kinds` (pending, or running with an expired lease) for `owner` until now + leaseMs. */
  claimNext(args: { kinds: readonly string[]; owner: string; now: number; leaseMs: number }): Promise<JobRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const kinds = args.kinds.map(() => '?').join(', ');
      // SKIP LOCKED lets PostgreSQL instances claim different jobs at once; SQLite serializes writers anyway.
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
      const [row] = await tx.query<JobRow>(
        `SELECT ${COLUMNS} FROM jobs WHERE kind IN (${kinds}) AND ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until < ?)) ORDER BY run_at, id LIMIT 1${lock}`,
        [...args.kinds, args.now, args.now],
      );
      if (!row) return undefined;
      await tx.run(`UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`, [
        args.owner,
        args.now + args.leaseMs,
        args.now,
        row.id,
      ]);
      return { ...recordOf(row), state: 'running' as const, attempts: Number(row.attempts) + 1 };
    });
  }

  async progress(id: string, done: number, total: number | null, now: number): Promise<void> {
    await this.db.run('UPDATE jobs SET progress_done = ?, progress_total = ?, updated_at = ? WHERE id = ?', [done, total, now, id]);
  }

  async complete(id: string, now: number): Promise<void> {
    await this.db.run(`UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = ? WHERE id = ?`, [now, id]);
  }

  /** Records the error; the job runs again after the backoff unless it has used up maxAttempts. */
  async fail(id: string, error: string, now: number, maxAttempts = 8): Promise<JobState> {
    const [row] = await this.db.query<{ attempts: number }>('SELECT attempts FROM jobs WHERE id = ?', [id]);
    const attempts = Number(row?.attempts ?? maxAttempts);
    const state: JobState = attempts >= maxAttempts ? 'failed' : 'pending';
    await this.db.run('UPDATE jobs SET state = ?, last_error = ?, run_at = ?, locked_by = NULL, locked_until = NULL, updated_at = ? WHERE id = ?', [
      state,
      error.slice(0, 2000),
      now + retryDelayMs(attempts),
      now,
      id,
    ]);
    return state;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const [row] = await this.db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`, [id]);
    return row && recordOf(row);
  }

  /** The latest job for a dedupe key (to show an instructor the sync state and its last error). */
  async latestFor(dedupeKey: string): Promise<JobRecord | undefined> {
    const [row] = await this.db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE dedupe_key = ? ORDER BY updated_at DESC, id LIMIT 1`, [dedupeKey]);
    return row && recordOf(row);
  }
}
