/** The small SQL surface every repository is written against, so callers never know the dialect. */

export type Dialect = 'sqlite' | 'postgres';

/** Values both drivers bind the same way (SQLite cannot bind booleans; store them as 0/1). */
export type SqlParam = string | number | null;

/** Statements use `?` placeholders; the PostgreSQL adapter numbers them. */
export interface SqlRunner {
  readonly dialect: Dialect;
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<Row>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs one statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Runs a parameterless script of several statements (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends SqlRunner {
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it rejects.
   * Use only the `tx` runner inside: the outer Db waits for the transaction to end.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type StoreErrorCode = 'STORE_URL_UNSUPPORTED';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
  }
}
