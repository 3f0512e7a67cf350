/**
 * OAuth2 with a Canvas developer API key (RFC 6749 §4.1 as Canvas documents it in
 * doc/api/file.oauth.md): the authorize URL the admin is sent to, the code exchange (access token
 * + refresh token, about an hour) and the refresh (a new access token, the refresh token stays).
 * Canvas's errors ({ error, error_description }) become LmsError LMS_TOKEN_INVALID with its reason.
 */
import type { HttpAnswer } from '../lti/platform-http.ts';
import { ALL_CANVAS_API_SCOPES } from './canvas-scopes.ts';
import { lmsRequest } from './lms-http.ts';
import { LmsError, type LmsHttpOptions } from './lms-source.ts';

export interface CanvasClient {
  /** Canvas origin, no trailing slash. */
  readonly baseUrl: string;
  readonly clientId: string;
}

export interface CanvasTokens {
  readonly accessToken: string;
  /** Only from the code exchange; a refresh keeps the refresh token it was given. */
  readonly refreshToken?: string | undefined;
  /** Seconds the access token lives (Canvas: 3600). */
  readonly expiresIn: number;
  readonly user: { readonly id: string; readonly name: string } | undefined;
}

/** Where to send the admin. `scopes` are asked for so a key with "Enforce Scopes" grants exactly what the tool reads. */
export function authorizeUrl(args: CanvasClient & { redirectUri: string; state: string; scopes?: readonly string[] }): string {
  const url = new URL('/login/oauth2/auth', args.baseUrl);
  url.searchParams.set('client_id', args.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', args.redirectUri);
  url.searchParams.set('state', args.state);
  url.searchParams.set('scope', (args.scopes ?? ALL_CANVAS_API_SCOPES).join(' '));
  url.searchParams.set('purpose', 'Micro-credentials: completion watcher');
  return url.toString();
}

export function exchangeCode(args: CanvasClient & { clientSecret: string; redirectUri: string; code: string; http?: LmsHttpOptions }): Promise<CanvasTokens> {
  return tokenRequest(args, { grant_type: 'authorization_code', client_id: args.clientId, client_secret: args.clientSecret, redirect_uri: args.redirectUri, code: args.code }, true);
}

export function refreshAccessToken(args: CanvasClient & { clientSecret: string; refreshToken: string; http?: LmsHttpOptions }): Promise<CanvasTokens> {
  return tokenRequest(args, { grant_type: 'refresh_token', client_id: args.clientId, client_secret: args.clientSecret, refresh_token: args.refreshToken }, false);
}

function tokenRequest(args: CanvasClient & { http?: LmsHttpOptions }, form: Record<string, string>, expectRefresh: boolean): Promise<CanvasTokens> {
  const url = new URL('/login/oauth2/token', args.baseUrl).toString();
  return lmsRequest(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(form).toString() }, args.http ?? {}, (answer) => tokensOf(answer, expectRefresh));
}

function tokensOf(answer: HttpAnswer, expectRefresh: boolean): CanvasTokens {
  const body = answer.json as Record<string, unknown> | undefined;
  if (answer.status >= 500) throw new LmsError('LMS_UNREACHABLE', `Canvas's token endpoint answered HTTP ${answer.status}; it will be tried again.`, { status: answer.status });
  if (answer.status !== 200) {
    const reason = typeof body?.error_description === 'string' ? body.error_description.slice(0, 200) : typeof body?.error === 'string' ? body.error : `HTTP ${answer.status}`;
    // invalid_grant / invalid_request ("refresh_token not found") / invalid_client: only a new authorization helps.
    throw new LmsError('LMS_TOKEN_INVALID', `Canvas refused the authorization (${reason}). Connect Canvas again on the admin page.`, { status: answer.status });
  }
  const accessToken = body?.access_token;
  const refreshToken = body?.refresh_token;
  if (typeof accessToken !== 'string' || accessToken === '' || (expectRefresh && (typeof refreshToken !== 'string' || refreshToken === ''))) {
    throw new LmsError('LMS_BAD_RESPONSE', "Canvas's token endpoint answered without the tokens OAuth2 requires.", { status: answer.status });
  }
  const user = body?.user as { id?: unknown; name?: unknown } | undefined;
  const expires = body?.expires_in;
  return {
    accessToken,
    refreshToken: typeof refreshToken === 'string' ? refreshToken : undefined,
    // Canvas always sends expires_in for OAuth2 tokens; its documented hour if an answer ever lacks it.
    expiresIn: typeof expires === 'number' && expires > 0 ? expires : 3600,
    user: user && (typeof user.id === 'number' || typeof user.id === 'string') ? { id: String(user.id), name: typeof user.name === 'string' ? user.name : String(user.id) } : undefined,
  };
}
