/**
 * Rows of the LTI launch tables: login states (OIDC `state` + `nonce`, LTI 1.3 Core §5.1.1), used
 * nonces (single use, Security Framework §5.1.3 step 9) and launch sessions. A successful launch
 * consumes the state, records the nonce and creates the session in one transaction, so a rejected
 * launch writes nothing and two racing replays cannot both succeed.
 */
import type { Db, SqlRunner } from './db.ts';

export interface LoginStateRecord {
  readonly state: string;
  readonly nonce: string;
  readonly platformId: string;
  readonly targetLinkUri: string;
  /** `lti_storage_target` offered by the platform at login (Client Side postMessage storage). */
  readonly storageTarget: string | null;
  readonly expiresAt: Date;
}

export interface SessionRecord {
  readonly id: string;
  readonly csrfToken: string;
  readonly platformId: string;
  readonly deploymentId: string;
  readonly contextId: string | null;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly messageType: string;
  /** The launch claims the tool works with later (context, resource link, services, deep linking settings). */
  readonly launch: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

interface StateRow {
  state: string;
  nonce: string;
  platform_id: string;
  target_link_uri: string;
  storage_target: string | null;
  expires_at: number;
}

interface SessionRow {
  id: string;
  csrf_token: string;
  platform_id: string;
  deployment_id: string;
  context_id: string | null;
  user_id: string;
  roles: string;
  message_type: string;
  launch: string;
  created_at: number;
  expires_at: number;
}

export class NonceReplayedError extends Error {
  override readonly name = 'NonceReplayedError';
  readonly code = 'LTI_NONCE_REPLAYED';
}

/** How often one instance sweeps expired states, nonces and sessions (a sweep per login would double its writes). */
const SWEEP_EVERY_MS = 60_000;

export class LtiLaunchRepository {
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Db) {}

  async saveLoginState(record: LoginStateRecord, now: Date): Promise<void> {
    // Expired rows are swept here, on login, never on a launch: a rejected launch writes nothing.
    if (now.getTime() - this.#lastSweep >= SWEEP_EVERY_MS) {
      this.#lastSweep = now.getTime();
      for (const table of ['lti_login_states', 'lti_nonces', 'lti_sessions']) await this.db.run(`DELETE FROM ${table} WHERE expires_at < ?`, [now.getTime()]);
    }
    await this.db.run('INSERT INTO lti_login_states (state, nonce, platform_id, target_link_uri, storage_target, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
      record.state,
      record.nonce,
      record.platformId,
      record.targetLinkUri,
      record.storageTarget,
      record.expiresAt.getTime(),
    ]);
  }

  async loginState(state: string): Promise<LoginStateRecord | undefined> {
    const [row] = await this.db.query<StateRow>('SELECT state, nonce, platform_id, target_link_uri, storage_target, expires_at FROM lti_login_states WHERE state = ?', [state]);
    return (
      row && {
        state: row.state,
        nonce: row.nonce,
        platformId: row.platform_id,
        targetLinkUri: row.target_link_uri,
        storageTarget: row.storage_target,
        expiresAt: new Date(row.expires_at),
      }
    );
  }

  async nonceUsed(nonce: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 AS used FROM lti_nonces WHERE nonce = ?', [nonce])).length > 0;
  }

  /**
   * Consumes the state, records the nonce and stores the session atomically. Throws
   * NonceReplayedError (and writes nothing) when another request used the nonce or state first.
   */
  async completeLaunch(args: { state: string; nonce: string; nonceExpiresAt: Date; session: SessionRecord }): Promise<void> {
    await this.db.transaction(async (tx) => {
      const consumed = await tx.run('DELETE FROM lti_login_states WHERE state = ?', [args.state]);
      const recorded = await tx.run('INSERT INTO lti_nonces (nonce, platform_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
        args.nonce,
        args.session.platformId,
        args.nonceExpiresAt.getTime(),
      ]);
      if (consumed !== 1 || recorded !== 1) throw new NonceReplayedError('This launch was already used.');
      await insertSession(tx, args.session);
    });
  }

  async session(id: string, now: Date): Promise<SessionRecord | undefined> {
    const [row] = await this.db.query<SessionRow>(
      'SELECT id, csrf_token, platform_id, deployment_id, context_id, user_id, roles, message_type, launch, created_at, expires_at FROM lti_sessions WHERE id = ? AND expires_at > ?',
      [id, now.getTime()],
    );
    return (
      row && {
        id: row.id,
        csrfToken: row.csrf_token,
        platformId: row.platform_id,
        deploymentId: row.deployment_id,
        contextId: row.context_id,
        userId: row.user_id,
        roles: JSON.parse(row.roles) as string[],
        messageType: row.message_type,
        launch: JSON.parse(row.launch) as Record<string, unknown>,
        createdAt: new Date(row.created_at),
        expiresAt: new Date(row.expires_at),
      }
    );
  }

  /** Ends a session (a deep-linking session is spent once its response is sent). */
  async endSession(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM lti_sessions WHERE id = ?', [id])) === 1;
  }
}

async function insertSession(tx: SqlRunner, s: SessionRecord): Promise<void> {
  await tx.run(
    'INSERT INTO lti_sessions (id, csrf_token, platform_id, deployment_id, context_id, user_id, roles, message_type, launch, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [s.id, s.csrfToken, s.platformId, s.deploymentId, s.contextId, s.userId, JSON.stringify(s.roles), s.messageType, JSON.stringify(s.launch), s.createdAt.getTime(), s.expiresAt.getTime()],
  );
}
