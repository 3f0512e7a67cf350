/** Rows of lti_access_tokens: OAuth2 access tokens from platform token endpoints, shared by every tool instance until they expire. */
import type { Db } from './db.ts';

export class LtiTokenRepository {
  constructor(private readonly db: Db) {}

  async get(platformId: string, scopes: string, now: Date): Promise<string | undefined> {
    const [row] = await this.db.query<{ access_token: string }>('SELECT access_token FROM lti_access_tokens WHERE platform_id = ? AND scopes = ? AND expires_at > ?', [
      platformId,
      scopes,
      now.getTime(),
    ]);
    return row?.access_token;
  }

  async put(platformId: string, scopes: string, accessToken: string, expiresAt: Date): Promise<void> {
    await this.db.run(
      'INSERT INTO lti_access_tokens (platform_id, scopes, access_token, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (platform_id, scopes) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at',
      [platformId, scopes, accessToken, expiresAt.getTime()],
    );
  }

  /** Drops a token the platform refused (revoked early), so the next call asks for a new one. */
  async forget(platformId: string, scopes: string): Promise<void> {
    await this.db.run('DELETE FROM lti_access_tokens WHERE platform_id = ? AND scopes = ?', [platformId, scopes]);
  }
}
