/**
 * Rows of lms_connections (one LMS REST API connection per LTI platform registration; secrets
 * arrive and leave sealed, this file never sees a plaintext token) and lms_oauth_states (Canvas
 * OAuth2 authorization in progress; each state is taken once).
 */
import type { Db } from './db.ts';

export type LmsConnectionStatus = 'ok' | 'error' | 'unchecked' | 'authorize';

export interface LmsConnectionRecord {
  readonly platformId: string;
  readonly kind: 'moodle' | 'canvas';
  readonly baseUrl: string;
  readonly authType: 'token' | 'oauth2';
  readonly sealedSecret: string | null;
  readonly oauthClientId: string | null;
  readonly sealedClientSecret: string | null;
  readonly status: LmsConnectionStatus;
  readonly message: string;
  readonly missing: readonly string[];
  readonly actingAs: string | null;
  readonly checkedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type SavedConnection = Omit<LmsConnectionRecord, 'createdAt' | 'updatedAt'>;

export interface LmsOAuthStateRecord {
  readonly state: string;
  readonly platformId: string;
  readonly baseUrl: string;
  readonly oauthClientId: string;
  readonly sealedClientSecret: string;
  readonly redirectUri: string;
  readonly expiresAt: Date;
}

interface ConnectionRow {
  platform_id: string;
  kind: 'moodle' | 'canvas';
  base_url: string;
  auth_type: 'token' | 'oauth2';
  sealed_secret: string | null;
  oauth_client_id: string | null;
  sealed_client_secret: string | null;
  status: LmsConnectionStatus;
  message: string;
  missing: string;
  acting_as: string | null;
  checked_at: number | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'platform_id, kind, base_url, auth_type, sealed_secret, oauth_client_id, sealed_client_secret, status, message, missing, acting_as, checked_at, created_at, updated_at';

function recordOf(row: ConnectionRow): LmsConnectionRecord {
  return {
    platformId: row.platform_id,
    kind: row.kind,
    baseUrl: row.base_url,
    authType: row.auth_type,
    sealedSecret: row.sealed_secret,
    oauthClientId: row.oauth_client_id,
    sealedClientSecret: row.sealed_client_secret,
    status: row.status,
    message: row.message,
    missing: JSON.parse(row.missing) as string[],
    actingAs: row.acting_as,
    checkedAt: row.checked_at === null ? null : new Date(Number(row.checked_at)),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

export class LmsConnectionRepository {
  constructor(private readonly db: Db) {}

  async get(platformId: string): Promise<LmsConnectionRecord | undefined> {
    const [row] = await this.db.query<ConnectionRow>(`SELECT ${COLUMNS} FROM lms_connections WHERE platform_id = ?`, [platformId]);
    return row && recordOf(row);
  }

  async list(): Promise<LmsConnectionRecord[]> {
    const rows = await this.db.query<ConnectionRow>(`SELECT ${COLUMNS} FROM lms_connections ORDER BY created_at, platform_id`);
    return rows.map(recordOf);
  }

  /** Inserts or replaces the platform's connection (created_at survives a replacement). */
  async save(connection: SavedConnection, now: number): Promise<void> {
    const c = connection;
    const values = [c.kind, c.baseUrl, c.authType, c.sealedSecret, c.oauthClientId, c.sealedClientSecret, c.status, c.message, JSON.stringify(c.missing), c.actingAs, c.checkedAt?.getTime() ?? null];
    await this.db.run(
      `INSERT INTO lms_connections (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform_id) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url, auth_type = excluded.auth_type,
         sealed_secret = excluded.sealed_secret, oauth_client_id = excluded.oauth_client_id, sealed_client_secret = excluded.sealed_client_secret,
         status = excluded.status, message = excluded.message, missing = excluded.missing, acting_as = excluded.acting_as,
         checked_at = excluded.checked_at, updated_at = excluded.updated_at`,
      [c.platformId, ...values, now, now],
    );
  }

  /** Adds a connection only when the platform has none (a Canvas authorization that has not finished yet). */
  async insertIfAbsent(connection: SavedConnection, now: number): Promise<void> {
    const c = connection;
    await this.db.run(`INSERT INTO lms_connections (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform_id) DO NOTHING`, [
      c.platformId, c.kind, c.baseUrl, c.authType, c.sealedSecret, c.oauthClientId, c.sealedClientSecret, c.status, c.message, JSON.stringify(c.missing), c.actingAs, c.checkedAt?.getTime() ?? null, now, now,
    ]);
  }

  /** The outcome of a check or a watch: status, message, missing functions, whose token. */
  async setStatus(platformId: string, status: { status: LmsConnectionStatus; message: string; missing: readonly string[]; actingAs?: string | null | undefined }, now: number): Promise<void> {
    await this.db.run('UPDATE lms_connections SET status = ?, message = ?, missing = ?, acting_as = COALESCE(?, acting_as), checked_at = ?, updated_at = ? WHERE platform_id = ?', [
      status.status, status.message, JSON.stringify(status.missing), status.actingAs ?? null, now, now, platformId,
    ]);
  }

  /**
   * After a watch that worked: an error the watch itself recorded (token refused, no permission)
   * is cleared. An error naming missing functions stays until the admin rechecks, because one
   * course's watch need not call every function the connection needs.
   */
  async clearWatchError(platformId: string, message: string, now: number): Promise<void> {
    await this.db.run(`UPDATE lms_connections SET status = 'ok', message = ?, checked_at = ?, updated_at = ? WHERE platform_id = ? AND status = 'error' AND missing = '[]'`, [message, now, now, platformId]);
  }

  async remove(platformId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM lms_oauth_states WHERE platform_id = ?', [platformId]);
      await tx.run('DELETE FROM lms_connections WHERE platform_id = ?', [platformId]);
    });
  }

  async putOAuthState(state: LmsOAuthStateRecord, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Abandoned authorizations go away with the next one.
      await tx.run('DELETE FROM lms_oauth_states WHERE expires_at < ?', [now]);
      await tx.run('INSERT INTO lms_oauth_states (state, platform_id, base_url, oauth_client_id, sealed_client_secret, redirect_uri, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        state.state, state.platformId, state.baseUrl, state.oauthClientId, state.sealedClientSecret, state.redirectUri, state.expiresAt.getTime(),
      ]);
    });
  }

  /** Takes the state once: the row is deleted; a second (or concurrent) take, or an expired state, finds nothing. */
  takeOAuthState(state: string, now: number): Promise<LmsOAuthStateRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ state: string; platform_id: string; base_url: string; oauth_client_id: string; sealed_client_secret: string; redirect_uri: string; expires_at: number }>(
        'SELECT state, platform_id, base_url, oauth_client_id, sealed_client_secret, redirect_uri, expires_at FROM lms_oauth_states WHERE state = ?',
        [state],
      );
      if (!row || (await tx.run('DELETE FROM lms_oauth_states WHERE state = ?', [state])) !== 1) return undefined;
      if (Number(row.expires_at) < now) return undefined;
      return { state: row.state, platformId: row.platform_id, baseUrl: row.base_url, oauthClientId: row.oauth_client_id, sealedClientSecret: row.sealed_client_secret, redirectUri: row.redirect_uri, expiresAt: new Date(Number(row.expires_at)) };
    });
  }
}
