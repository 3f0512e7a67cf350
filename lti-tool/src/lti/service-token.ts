/**
 * Security Framework §4.1 / RFC 7523 §2.2: OAuth2 client_credentials with a signed JWT client
 * assertion (RS256, the tool's LTI key, aud = token endpoint), for AGS and NRPS. Tokens are cached
 * in the database per platform and scope set until shortly before they expire.
 */
import { randomBytes } from 'node:crypto';
import type { LtiTokenRepository } from '../store/lti-token-repository.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { PlatformHttpError, requestPlatform, statusError, type HttpLimits } from './platform-http.ts';
import type { ToolKeys } from './tool-keys.ts';

/** Renew this long before the platform's expiry, so a token never expires mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

export interface ServiceTokenDeps {
  readonly http: HttpLimits;
  readonly toolKeys: ToolKeys;
  readonly tokens: LtiTokenRepository;
  readonly now: () => Date;
}

export class ServiceTokens {
  constructor(private readonly deps: ServiceTokenDeps) {}

  /** A bearer token for `scopes` on `platform`, from the cache or the platform's token endpoint. */
  async token(platform: PlatformRecord, scopes: readonly string[]): Promise<string> {
    const key = [...new Set(scopes)].sort().join(' ');
    const cached = await this.deps.tokens.get(platform.id, key, this.deps.now());
    if (cached) return cached;
    const now = this.deps.now();
    const iat = Math.floor(now.getTime() / 1000);
    const assertion = await this.deps.toolKeys.sign({
      iss: platform.clientId,
      sub: platform.clientId,
      aud: platform.tokenUrl,
      iat,
      exp: iat + 300,
      jti: randomBytes(16).toString('base64url'),
    });
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: key,
    }).toString();
    const answer = await requestPlatform(platform.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body }, this.deps.http);
    if (answer.status !== 200) throw statusError(platform.tokenUrl, answer, `The token endpoint of ${platform.name} refused the tool`);
    const json = answer.json as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof json?.access_token !== 'string' || json.access_token === '') {
      throw new PlatformHttpError('LTI_HTTP_INVALID_ANSWER', `The token endpoint ${platform.tokenUrl} answered without an access_token.`);
    }
    const lifetimeMs = (typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600) * 1000;
    const expiresAt = new Date(now.getTime() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2));
    await this.deps.tokens.put(platform.id, key, json.access_token, expiresAt);
    return json.access_token;
  }

  /** Forgets a token the platform refused (401), so the next call fetches a fresh one. */
  async forget(platform: PlatformRecord, scopes: readonly string[]): Promise<void> {
    await this.deps.tokens.forget(platform.id, [...new Set(scopes)].sort().join(' '));
  }
}
