/** Rows of issuer_keys: the issuer's signing keys, private halves sealed by the caller before they get here. */
import type { JWK } from 'jose';
import type { SigningAlg } from '../../../shared/crypto/keys.ts';
import type { Db, SqlRunner } from './db.ts';

export type IssuerKeyStatus = 'active' | 'retired';

export interface IssuerKeyRecord {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly publicJwk: JWK;
  /** A secret-box ciphertext; this layer never sees the private key in clear. */
  readonly encryptedPrivateKey: string;
  readonly status: IssuerKeyStatus;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

export type NewIssuerKey = Pick<IssuerKeyRecord, 'kid' | 'alg' | 'publicJwk' | 'encryptedPrivateKey' | 'createdAt'>;

interface IssuerKeyRow {
  kid: string;
  alg: SigningAlg;
  public_jwk: string;
  encrypted_private_key: string;
  status: IssuerKeyStatus;
  created_at: number;
  retired_at: number | null;
}

const COLUMNS = 'kid, alg, public_jwk, encrypted_private_key, status, created_at, retired_at';

function recordOf(row: IssuerKeyRow): IssuerKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: JSON.parse(row.public_jwk) as JWK,
    encryptedPrivateKey: row.encrypted_private_key,
    status: row.status,
    createdAt: new Date(row.created_at),
    retiredAt: row.retired_at === null ? null : new Date(row.retired_at),
  };
}

/**
 * Inserts `key` as active. ON CONFLICT DO NOTHING covers the one-active index: when another
 * instance got there first the insert is skipped (PostgreSQL waits for that transaction to commit
 * first), and the caller reads the winner instead of failing.
 */
async function insertActive(runner: SqlRunner, key: NewIssuerKey, purpose: KeyPurpose): Promise<boolean> {
  const changed = await runner.run(
    `INSERT INTO issuer_keys (${COLUMNS}, purpose) VALUES (?, ?, ?, ?, 'active', ?, NULL, ?) ON CONFLICT DO NOTHING`,
    [key.kid, key.alg, JSON.stringify(key.publicJwk), key.encryptedPrivateKey, key.createdAt.getTime(), purpose],
  );
  return changed === 1;
}

/** What a key signs: credentials ('issuer', the default) or LTI messages and client assertions ('lti'). */
export type KeyPurpose = 'issuer' | 'lti';

export class IssuerKeyRepository {
  constructor(
    private readonly db: Db,
    private readonly purpose: KeyPurpose = 'issuer',
  ) {}

  /** All keys, newest first. */
  async list(): Promise<IssuerKeyRecord[]> {
    const rows = await this.db.query<IssuerKeyRow>(`SELECT ${COLUMNS} FROM issuer_keys WHERE purpose = ? ORDER BY created_at DESC, kid`, [this.purpose]);
    return rows.map(recordOf);
  }

  /** The keys verifiers may meet: active and retired ones, newest first. */
  async published(): Promise<IssuerKeyRecord[]> {
    const rows = await this.db.query<IssuerKeyRow>(`SELECT ${COLUMNS} FROM issuer_keys WHERE purpose = ? AND status IN ('active', 'retired') ORDER BY created_at DESC, kid`, [this.purpose]);
    return rows.map(recordOf);
  }

  async active(): Promise<IssuerKeyRecord | undefined> {
    const [row] = await this.db.query<IssuerKeyRow>(`SELECT ${COLUMNS} FROM issuer_keys WHERE purpose = ? AND status = 'active'`, [this.purpose]);
    return row && recordOf(row);
  }

  /** Inserts `key` as the active key unless one exists; resolves to whether it was inserted. */
  insertActiveIfNone(key: NewIssuerKey): Promise<boolean> {
    return insertActive(this.db, key, this.purpose);
  }

  /**
   * Retires the active key (if any) and makes `key` active, atomically. If another instance
   * rotated concurrently, its key may win; resolves to whether `key` became active.
   */
  rotateTo(key: NewIssuerKey): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run(`UPDATE issuer_keys SET status = 'retired', retired_at = ? WHERE purpose = ? AND status = 'active'`, [key.createdAt.getTime(), this.purpose]);
      return insertActive(tx, key, this.purpose);
    });
  }
}
