/**
 * Rows of credential_awards (one per learner per definition: the exactly-once key) and
 * issued_credentials (the signed credentials, their status-list index, revocation and hiding).
 */
import type { Db, SqlParam, SqlRunner } from './db.ts';

export interface NewAward {
  readonly awardId: string;
  readonly definitionId: string;
  readonly learnerKey: string;
  readonly learnerName: string;
  readonly credentialId: string;
  readonly result: unknown;
  readonly awardedAt: number;
}

export interface NewIssuedCredential {
  readonly id: string;
  readonly awardId: string;
  readonly statusListId: string;
  readonly statusIndex: number;
  readonly jwt: string;
  readonly issuedAt: number;
}

export interface IssuedCredentialRecord {
  readonly id: string;
  readonly awardId: string;
  readonly definitionId: string;
  readonly learnerKey: string;
  readonly learnerName: string;
  /** True for the award's latest credential (a re-issue supersedes the earlier one). */
  readonly current: boolean;
  readonly statusListId: string;
  readonly statusIndex: number;
  readonly jwt: string;
  readonly result: unknown;
  readonly issuedAt: Date;
  readonly revokedAt: Date | null;
  readonly revocationReason: string | null;
  readonly hiddenAt: Date | null;
}

interface JoinedRow {
  id: string;
  award_id: string;
  definition_id: string;
  learner_key: string;
  learner_name: string;
  current_credential_id: string;
  status_list_id: string;
  status_index: number;
  jwt: string;
  result: string | null;
  issued_at: number;
  revoked_at: number | null;
  revocation_reason: string | null;
  hidden_at: number | null;
}

const SELECT_JOINED = `SELECT c.id, c.award_id, a.definition_id, a.learner_key, a.learner_name, a.current_credential_id, c.status_list_id, c.status_index, c.jwt, a.result, c.issued_at, c.revoked_at, c.revocation_reason, c.hidden_at
  FROM issued_credentials c JOIN credential_awards a ON a.id = c.award_id`;

const date = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

function recordOf(row: JoinedRow): IssuedCredentialRecord {
  return {
    id: row.id,
    awardId: row.award_id,
    definitionId: row.definition_id,
    learnerKey: row.learner_key,
    learnerName: row.learner_name,
    current: row.current_credential_id === row.id,
    statusListId: row.status_list_id,
    statusIndex: Number(row.status_index),
    jwt: row.jwt,
    result: row.result === null ? null : JSON.parse(row.result),
    issuedAt: new Date(Number(row.issued_at)),
    revokedAt: date(row.revoked_at),
    revocationReason: row.revocation_reason,
    hiddenAt: date(row.hidden_at),
  };
}

/** Rows per multi-row statement: well under both dialects' bound-parameter limits. */
const CHUNK = 100;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const placeholders = (rows: number, columns: number) => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

/** Statements that must run inside the award engine's transaction. */
export const awardTx = {
  /** Learner keys of `keys` already awarded `definitionId`. */
  async awardedKeys(tx: SqlRunner, definitionId: string, keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(keys)) {
      const rows = await tx.query<{ learner_key: string }>(
        `SELECT learner_key FROM credential_awards WHERE definition_id = ? AND learner_key IN (${part.map(() => '?').join(', ')})`,
        [definitionId, ...part],
      );
      for (const row of rows) found.add(row.learner_key);
    }
    return found;
  },

  /**
   * Inserts the awards that do not exist yet and returns the learner keys this transaction won.
   * Rows must come sorted by learner key: concurrent batches then lock keys in one order and
   * cannot deadlock. A key taken by a concurrent transaction is skipped (ON CONFLICT DO NOTHING
   * waits for that transaction to commit first under PostgreSQL).
   */
  async insertAwards(tx: SqlRunner, awards: readonly NewAward[]): Promise<Set<string>> {
    const won = new Set<string>();
    for (const part of chunks(awards)) {
      const params: SqlParam[] = part.flatMap((a) => [a.awardId, a.definitionId, a.learnerKey, a.learnerName, a.credentialId, a.result === undefined ? null : JSON.stringify(a.result), a.awardedAt]);
      const rows = await tx.query<{ learner_key: string }>(
        `INSERT INTO credential_awards (id, definition_id, learner_key, learner_name, current_credential_id, result, awarded_at) VALUES ${placeholders(part.length, 7)}
         ON CONFLICT (definition_id, learner_key) DO NOTHING RETURNING learner_key`,
        params,
      );
      for (const row of rows) won.add(row.learner_key);
    }
    return won;
  },

  /** Revokes a credential and bumps its list's version, so the next request re-signs the list; false when already revoked. */
  async revoke(tx: SqlRunner, id: string, reason: string, at: number): Promise<boolean> {
    const changed = await tx.run('UPDATE issued_credentials SET revoked_at = ?, revocation_reason = ? WHERE id = ? AND revoked_at IS NULL', [at, reason, id]);
    if (changed === 0) return false;
    await tx.run('UPDATE status_lists SET version = version + 1 WHERE id = (SELECT status_list_id FROM issued_credentials WHERE id = ?)', [id]);
    return true;
  },

  async setCurrent(tx: SqlRunner, awardId: string, credentialId: string): Promise<void> {
    await tx.run('UPDATE credential_awards SET current_credential_id = ? WHERE id = ?', [credentialId, awardId]);
  },

  async insertCredentials(tx: SqlRunner, credentials: readonly NewIssuedCredential[]): Promise<void> {
    for (const part of chunks(credentials)) {
      await tx.run(
        `INSERT INTO issued_credentials (id, award_id, status_list_id, status_index, jwt, issued_at) VALUES ${placeholders(part.length, 6)}`,
        part.flatMap((c) => [c.id, c.awardId, c.statusListId, c.statusIndex, c.jwt, c.issuedAt]),
      );
    }
  },
};

export class AwardRepository {
  constructor(readonly db: Db) {}

  async credential(id: string): Promise<IssuedCredentialRecord | undefined> {
    const [row] = await this.db.query<JoinedRow>(`${SELECT_JOINED} WHERE c.id = ?`, [id]);
    return row && recordOf(row);
  }

  /** The current credential of each learner's award of `definitionId`, by learner key. */
  async currentForLearners(definitionId: string, keys: readonly string[]): Promise<Map<string, IssuedCredentialRecord>> {
    const out = new Map<string, IssuedCredentialRecord>();
    for (const part of chunks(keys)) {
      const rows = await this.db.query<JoinedRow>(
        `${SELECT_JOINED} WHERE a.definition_id = ? AND c.id = a.current_credential_id AND a.learner_key IN (${part.map(() => '?').join(', ')})`,
        [definitionId, ...part],
      );
      for (const row of rows) out.set(row.learner_key, recordOf(row));
    }
    return out;
  }

  /** Current credentials of one definition, by learner name. */
  async currentForDefinition(definitionId: string): Promise<IssuedCredentialRecord[]> {
    const rows = await this.db.query<JoinedRow>(`${SELECT_JOINED} WHERE a.definition_id = ? AND c.id = a.current_credential_id ORDER BY a.learner_name, a.learner_key`, [definitionId]);
    return rows.map(recordOf);
  }

  /** Current credentials of one learner, newest first. */
  async currentForLearner(learnerKey: string): Promise<IssuedCredentialRecord[]> {
    const rows = await this.db.query<JoinedRow>(`${SELECT_JOINED} WHERE a.learner_key = ? AND c.id = a.current_credential_id ORDER BY c.issued_at DESC, c.id`, [learnerKey]);
    return rows.map(recordOf);
  }

  /** Definition ids for which the learner holds a current, unrevoked credential. */
  async heldDefinitions(learnerKey: string, definitionIds: readonly string[]): Promise<Set<string>> {
    if (definitionIds.length === 0) return new Set();
    const rows = await this.db.query<{ definition_id: string }>(
      `SELECT a.definition_id FROM credential_awards a JOIN issued_credentials c ON c.id = a.current_credential_id
       WHERE a.learner_key = ? AND c.revoked_at IS NULL AND a.definition_id IN (${definitionIds.map(() => '?').join(', ')})`,
      [learnerKey, ...definitionIds],
    );
    return new Set(rows.map((r) => r.definition_id));
  }

  /**
   * Revokes one credential and bumps its status list's version in one transaction, so the next
   * request for the list re-signs it. Resolves to false when it was already revoked.
   */
  revoke(id: string, reason: string, at: number): Promise<boolean> {
    return this.db.transaction((tx) => awardTx.revoke(tx, id, reason, at));
  }

  /** The holder hides or shows the public page; the status list is not touched. */
  async setHidden(id: string, hiddenAt: number | null): Promise<boolean> {
    return (await this.db.run('UPDATE issued_credentials SET hidden_at = ? WHERE id = ?', [hiddenAt, id])) === 1;
  }
}
