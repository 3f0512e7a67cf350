/**
 * The LMS REST API connection of each LTI platform registration (issue 7): a Moodle web-service
 * token, a Canvas access token, or Canvas OAuth2 with a developer API key (RFC 6749 §4.1
 * authorization code; Canvas keeps the refresh token, access tokens live an hour). Tokens are tested
 * on save, stored sealed with SecretBox (bound to the platform id), and opened only to build the
 * platform's LmsSource. OAuth2 access tokens are cached in memory until shortly before they expire.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../keys/secret-box.ts';
import type { LmsConnectionRecord, LmsConnectionStatus } from '../store/lms-connection-repository.ts';
import type { Store } from '../store/open-store.ts';
import { LmsError, type ConnectionCheck, type LmsKind, type LmsSource } from './lms-source.ts';

export interface LmsConnectionView {
  readonly platformId: string;
  readonly kind: LmsKind;
  /** Moodle wwwroot / Canvas origin, no trailing slash. */
  readonly baseUrl: string;
  readonly authType: 'token' | 'oauth2';
  /** ok: last check/watch worked; error: see message; unchecked: saved, not yet tested; authorize: Canvas OAuth2 waiting for the admin's approval */
  readonly status: LmsConnectionStatus;
  /** Human text for the admin page (last check or last watch error). */
  readonly message: string;
  /** Moodle functions / Canvas API areas the token cannot call. */
  readonly missing: readonly string[];
  /** Whose token (Moodle site user, Canvas user name). */
  readonly actingAs?: string | undefined;
  readonly checkedAt?: Date | undefined;
}

export interface LmsConnections {
  get(platformId: string): Promise<LmsConnectionView | undefined>;
  list(): Promise<LmsConnectionView[]>;
  /** Tests the token with source.check(). Invalid token: nothing stored (a previous connection is kept), check returned.
   *  Works but functions missing: stored with status 'error' and `missing`. Works fully: stored, status 'ok'. */
  saveToken(args: { platformId: string; kind: LmsKind; baseUrl: string; token: string }): Promise<ConnectionCheck>;
  /** Re-runs the check of the stored connection and updates its status. */
  recheck(platformId: string): Promise<ConnectionCheck>;
  /** Canvas OAuth2 with a developer API key: stores client id + sealed secret, answers the Canvas authorize URL (state is single-use, 10 min). */
  startCanvasOAuth(args: { platformId: string; baseUrl: string; clientId: string; clientSecret: string; redirectUri: string }): Promise<{ authorizeUrl: string }>;
  /** The redirect back from Canvas: exchanges the code, stores the sealed refresh token, checks. Throws LmsError on a bad/expired state or code. */
  finishCanvasOAuth(args: { state: string; code: string }): Promise<ConnectionCheck & { platformId: string }>;
  remove(platformId: string): Promise<void>;
  /** The LmsSource for a platform's stored connection (tokens opened, OAuth2 access token refreshed as needed); undefined if none. */
  source(platformId: string): Promise<LmsSource | undefined>;
}

/** Builds sources; injected so tests need no real LMS (runtime.ts passes createMoodleSource / createCanvasSource). */
export interface LmsSourceFactories {
  moodle(args: { siteUrl: string; token: string }): LmsSource;
  canvas(args: { baseUrl: string; accessToken: () => Promise<string> }): LmsSource;
}

/** Canvas OAuth2 endpoints (canvas-oauth.ts); injected for the same reason. */
export interface CanvasOAuth {
  authorizeUrl(args: { baseUrl: string; clientId: string; redirectUri: string; state: string }): string;
  /** expiresIn: seconds the access token lives. */
  exchangeCode(args: { baseUrl: string; clientId: string; clientSecret: string; redirectUri: string; code: string }): Promise<{ accessToken: string; refreshToken?: string | undefined; expiresIn: number; user?: { readonly name?: string | undefined } | undefined }>;
  refreshAccessToken(args: { baseUrl: string; clientId: string; clientSecret: string; refreshToken: string }): Promise<{ accessToken: string; expiresIn: number }>;
}

export const OAUTH_STATE_TTL_MS = 10 * 60_000;
/** An access token is refreshed this long before Canvas says it expires, so a watch never starts with a dying token. */
const ACCESS_TOKEN_MARGIN_MS = 5 * 60_000;
const MAX_SECRET_LENGTH = 2_000;
const MAX_URL_LENGTH = 500;

const secretContext = (platformId: string) => `lms-connection:${platformId}:secret`;
const clientSecretContext = (platformId: string) => `lms-connection:${platformId}:client-secret`;

export function createLmsConnections(deps: {
  store: Pick<Store, 'lmsConnections' | 'ltiPlatforms'>;
  secretBox: SecretBox;
  sources: LmsSourceFactories;
  canvasOAuth?: CanvasOAuth | undefined;
  now?: () => Date;
}): LmsConnections {
  const now = deps.now ?? (() => new Date());
  const repo = deps.store.lmsConnections;
  // platformId → the access token for the sealed refresh token it was made from (a new authorization replaces it).
  const accessTokens = new Map<string, { sealedSecret: string; token: Promise<{ value: string; expiresAt: number }> }>();

  const oauth = (): CanvasOAuth => {
    if (!deps.canvasOAuth) throw new LmsError('LMS_BAD_RESPONSE', 'Canvas OAuth2 is not available in this installation; connect Canvas with an access token instead.');
    return deps.canvasOAuth;
  };

  const accessTokenOf = (record: LmsConnectionRecord): Promise<string> => {
    const sealedSecret = record.sealedSecret as string;
    const cached = accessTokens.get(record.platformId);
    if (cached?.sealedSecret === sealedSecret) {
      return cached.token.then((t) => {
        if (t.expiresAt > now().getTime()) return t.value;
        // Concurrent callers share the first one's refresh.
        const current = accessTokens.get(record.platformId);
        return current && current !== cached && current.sealedSecret === sealedSecret ? current.token.then((n) => n.value) : refresh();
      });
    }
    return refresh();

    function refresh(): Promise<string> {
      const token = oauth()
        .refreshAccessToken({
          baseUrl: record.baseUrl,
          clientId: record.oauthClientId ?? '',
          clientSecret: deps.secretBox.open(record.sealedClientSecret ?? '', clientSecretContext(record.platformId)),
          refreshToken: deps.secretBox.open(sealedSecret, secretContext(record.platformId)),
        })
        .then((t) => ({ value: t.accessToken, expiresAt: expiryOf(t, now()) }));
      accessTokens.set(record.platformId, { sealedSecret, token });
      // A failed refresh is not cached: the next call tries again.
      token.catch(() => {
        if (accessTokens.get(record.platformId)?.token === token) accessTokens.delete(record.platformId);
      });
      return token.then((t) => t.value);
    }
  };

  const sourceOf = (record: LmsConnectionRecord): LmsSource | undefined => {
    if (!record.sealedSecret) return undefined;
    if (record.authType === 'oauth2') return deps.sources.canvas({ baseUrl: record.baseUrl, accessToken: () => accessTokenOf(record) });
    const token = deps.secretBox.open(record.sealedSecret, secretContext(record.platformId));
    return record.kind === 'moodle' ? deps.sources.moodle({ siteUrl: record.baseUrl, token }) : deps.sources.canvas({ baseUrl: record.baseUrl, accessToken: async () => token });
  };

  const platformProblem = async (platformId: string): Promise<string | undefined> =>
    (await deps.store.ltiPlatforms.byId(platformId)) ? undefined : 'There is no LTI platform registration with this id; register the platform first.';

  return {
    async get(platformId) {
      const record = await repo.get(platformId);
      return record && viewOf(record);
    },

    async list() {
      return (await repo.list()).map(viewOf);
    },

    async saveToken({ platformId, kind, baseUrl, token }) {
      const url = normalizeBaseUrl(kind, baseUrl);
      const problem = (await platformProblem(platformId)) ?? (kind !== 'moodle' && kind !== 'canvas' ? 'Choose Moodle or Canvas.' : undefined) ?? url.problem ?? secretProblem(token, 'token');
      if (problem) return refused(problem);
      const trimmed = token.trim();
      const source = kind === 'moodle' ? deps.sources.moodle({ siteUrl: url.value, token: trimmed }) : deps.sources.canvas({ baseUrl: url.value, accessToken: async () => trimmed });
      const check = await safeCheck(source);
      // A token the LMS refuses is not worth keeping, and must not replace one that works.
      if (!check.ok && check.missing.length === 0) return check;
      await repo.save({ ...connectionFields(check, now()), platformId, kind, baseUrl: url.value, authType: 'token', sealedSecret: deps.secretBox.seal(trimmed, secretContext(platformId)), oauthClientId: null, sealedClientSecret: null }, now().getTime());
      accessTokens.delete(platformId);
      return check;
    },

    async recheck(platformId) {
      const record = await repo.get(platformId);
      const source = record && sourceOf(record);
      if (!record || !source) return refused(record ? 'Canvas has not approved this connection yet: finish the authorization first.' : 'This platform has no LMS connection yet.');
      const check = await safeCheck(source);
      await repo.setStatus(platformId, connectionFields(check, now()), now().getTime());
      return check;
    },

    async startCanvasOAuth({ platformId, baseUrl, clientId, clientSecret, redirectUri }) {
      const url = normalizeBaseUrl('canvas', baseUrl);
      const problem =
        (await platformProblem(platformId)) ??
        url.problem ??
        (typeof clientId !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(clientId.trim()) ? 'The client id of the Canvas developer key is a number like 10000000000012.' : undefined) ??
        secretProblem(clientSecret, 'client secret (the developer key’s “Key”)') ??
        (typeof redirectUri !== 'string' || !/^https?:\/\//.test(redirectUri) || redirectUri.length > MAX_URL_LENGTH ? 'The redirect URI must be this tool’s own https address.' : undefined);
      if (problem) throw new LmsError('LMS_BAD_RESPONSE', problem);
      const state = randomBytes(24).toString('base64url');
      const at = now().getTime();
      await repo.putOAuthState(
        { state, platformId, baseUrl: url.value, oauthClientId: clientId.trim(), sealedClientSecret: deps.secretBox.seal(clientSecret.trim(), clientSecretContext(platformId)), redirectUri, expiresAt: new Date(at + OAUTH_STATE_TTL_MS) },
        at,
      );
      // A platform without a connection shows "waiting for approval"; an existing one keeps working until Canvas approves the new one.
      await repo.insertIfAbsent(
        { platformId, kind: 'canvas', baseUrl: url.value, authType: 'oauth2', sealedSecret: null, oauthClientId: clientId.trim(), sealedClientSecret: null, status: 'authorize', message: 'Waiting for a Canvas administrator to approve the developer key.', missing: [], actingAs: null, checkedAt: null },
        at,
      );
      return { authorizeUrl: oauth().authorizeUrl({ baseUrl: url.value, clientId: clientId.trim(), redirectUri, state }) };
    },

    async finishCanvasOAuth({ state, code }) {
      const taken = typeof state === 'string' && state.length <= 100 ? await repo.takeOAuthState(state, now().getTime()) : undefined;
      if (!taken) throw new LmsError('LMS_TOKEN_INVALID', 'This Canvas authorization has expired or was already used. Start the connection again from the admin page.');
      if (typeof code !== 'string' || code === '' || code.length > MAX_SECRET_LENGTH) throw new LmsError('LMS_TOKEN_INVALID', 'Canvas sent no authorization code back. Start the connection again from the admin page.');
      const clientSecret = deps.secretBox.open(taken.sealedClientSecret, clientSecretContext(taken.platformId));
      const tokens = await oauth().exchangeCode({ baseUrl: taken.baseUrl, clientId: taken.oauthClientId, clientSecret, redirectUri: taken.redirectUri, code });
      if (!tokens.refreshToken) throw new LmsError('LMS_BAD_RESPONSE', 'Canvas answered the authorization without a refresh token, so the connection could not last. Connect Canvas again.');
      const at = now().getTime();
      const sealedSecret = deps.secretBox.seal(tokens.refreshToken, secretContext(taken.platformId));
      accessTokens.set(taken.platformId, { sealedSecret, token: Promise.resolve({ value: tokens.accessToken, expiresAt: expiryOf(tokens, now()) }) });
      const check = await safeCheck(deps.sources.canvas({ baseUrl: taken.baseUrl, accessToken: async () => tokens.accessToken }));
      const fields = connectionFields(check, now());
      await repo.save(
        { ...fields, actingAs: fields.actingAs ?? tokens.user?.name ?? null, platformId: taken.platformId, kind: 'canvas', baseUrl: taken.baseUrl, authType: 'oauth2', sealedSecret, oauthClientId: taken.oauthClientId, sealedClientSecret: taken.sealedClientSecret },
        at,
      );
      return { ...check, platformId: taken.platformId };
    },

    async remove(platformId) {
      accessTokens.delete(platformId);
      await repo.remove(platformId);
    },

    async source(platformId) {
      const record = await repo.get(platformId);
      return record && sourceOf(record);
    },
  };
}

function expiryOf(tokens: { expiresIn: number }, at: Date): number {
  return at.getTime() + Math.max(0, tokens.expiresIn * 1000 - ACCESS_TOKEN_MARGIN_MS);
}

function viewOf(record: LmsConnectionRecord): LmsConnectionView {
  return {
    platformId: record.platformId,
    kind: record.kind,
    baseUrl: record.baseUrl,
    authType: record.authType,
    status: record.status,
    message: record.message,
    missing: record.missing,
    actingAs: record.actingAs ?? undefined,
    checkedAt: record.checkedAt ?? undefined,
  };
}

/** The stored side of a check: ok, or an error naming what is missing. */
function connectionFields(check: ConnectionCheck, checkedAt: Date): { status: LmsConnectionStatus; message: string; missing: readonly string[]; actingAs: string | null; checkedAt: Date } {
  return { status: check.ok ? 'ok' : 'error', message: check.message, missing: check.missing, actingAs: check.actingAs ?? null, checkedAt };
}

/** check() that answers instead of throwing: an unreachable LMS or refused token is a failed check the admin reads. */
async function safeCheck(source: LmsSource): Promise<ConnectionCheck> {
  try {
    return await source.check();
  } catch (error) {
    if (!(error instanceof LmsError)) throw error;
    return { ok: false, missing: error.code === 'LMS_FUNCTION_NOT_ALLOWED' ? (error.details.missing ?? []) : [], message: error.message };
  }
}

function refused(message: string): ConnectionCheck {
  return { ok: false, missing: [], message };
}

function secretProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return `Paste the ${what}.`;
  if (value.trim().length > MAX_SECRET_LENGTH || /\s/.test(value.trim())) return `The ${what} is not in the form the LMS gives (one line of letters and digits).`;
  return undefined;
}

/**
 * The LMS address as requests are built from it: Moodle's wwwroot (it may have a path), Canvas's
 * origin; no trailing slash, query or fragment. https only, except on this machine (test LMSs).
 */
export function normalizeBaseUrl(kind: LmsKind, value: string): { value: string; problem?: undefined } | { value: string; problem: string } {
  const problem = { value: '', problem: `Enter the address of your ${kind === 'canvas' ? 'Canvas' : 'Moodle site'}, like https://${kind === 'canvas' ? 'school.instructure.com' : 'moodle.school.edu'}.` };
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return problem;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return problem;
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.username || url.password || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) return problem;
  const path = kind === 'canvas' ? '' : url.pathname.replace(/\/+$/, '');
  return { value: `${url.origin}${path}` };
}
