/**
 * Canvas OAuth2 for developer API keys (doc/api/file.oauth.md, Oauth2ProviderController and
 * lib/canvas/oauth/request_error.rb of canvas-lms): GET /login/oauth2/auth → the signed-in admin
 * approves on /login/oauth2/confirm → redirect to redirect_uri with code and state; POST
 * /login/oauth2/token with grant_type authorization_code (access + refresh token, 3600 s) or
 * refresh_token (a new access token on the same grant, no new refresh token). LTI's
 * client_credentials grant on the same URL is left to token-routes.ts.
 */
import express, { type Response } from 'express';
import type { CanvasState } from './canvas-model.ts';
import { messagePage, type SimContext } from './context.ts';
import { randomToken } from './flavours.ts';
import { escapeHtml } from './html-forms.ts';

const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const CANVAS_TOKEN_LIFETIME_SECONDS = 3600;

export function canvasToken(): string {
  return `1~${randomToken(48).replace(/[-_]/g, 'x').slice(0, 64)}`;
}

export function canvasOAuthRoutes(ctx: SimContext, canvas: CanvasState): express.Router {
  const router = express.Router();
  const oauthError = (res: Response, status: number, error: string, description: string) => res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });

  router.get('/login/oauth2/auth', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const key = canvas.developerKeys.get(String(q.client_id ?? ''));
    if (!key) return oauthError(res, 401, 'invalid_client', 'unknown client');
    const redirectUri = String(q.redirect_uri ?? '');
    if (!key.redirectUris.includes(redirectUri)) return oauthError(res, 400, 'invalid_request', 'redirect_uri does not match client settings');
    const state = typeof q.state === 'string' ? q.state : undefined;
    const back = (fields: Record<string, string>) => {
      const url = new URL(redirectUri);
      for (const [name, value] of Object.entries({ ...fields, ...(state !== undefined ? { state } : {}) })) url.searchParams.set(name, value);
      res.redirect(302, url.toString());
    };
    if (q.response_type !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
    const asked = typeof q.scope === 'string' ? q.scope.split(/\s+/).filter(Boolean) : [];
    if (key.scopes && (asked.length === 0 || asked.some((scope) => !key.scopes!.includes(scope)))) {
      return back({ error: 'invalid_scope', error_description: 'A requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.' });
    }
    if (!canvas.signedIn) return res.status(401).type('html').send(messagePage('Log In to Canvas', 'Nobody is signed in to the simulated Canvas (sim.canvas.signIn).', { 'data-error': 'login_required' }));
    const grant = { clientId: key.clientId, redirectUri, state, scopes: key.scopes ? asked : undefined, userId: canvas.signedIn };
    if (canvas.autoApprove) return back({ code: newCode(ctx, canvas, grant) });
    const pending = randomToken(16);
    canvas.pendingAuthorizations.set(pending, grant);
    res.redirect(302, `/login/oauth2/confirm?pending=${encodeURIComponent(pending)}`);
  });

  router.get('/login/oauth2/confirm', (req, res) => {
    const pending = String((req.query as Record<string, unknown>).pending ?? '');
    const grant = canvas.pendingAuthorizations.get(pending);
    if (!grant) return res.status(400).type('html').send(messagePage('Authorization expired', 'This authorization request is unknown or was already answered.'));
    const field = `<input type="hidden" name="pending" value="${escapeHtml(pending)}"/>`;
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Authorize</title></head><body>
<main><h1>An application is requesting access to your account</h1><p>Client ${escapeHtml(grant.clientId)} wants to read data as ${escapeHtml(ctx.state.users.get(grant.userId)?.name ?? grant.userId)}.</p>
<form id="oauth2_accept_form" method="post" action="/login/oauth2/accept">${field}<button type="submit">Authorize</button></form>
<form id="oauth2_deny_form" method="post" action="/login/oauth2/deny">${field}<button type="submit">Cancel</button></form></main></body></html>`);
  });

  router.post(['/login/oauth2/accept', '/login/oauth2/deny'], express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const pending = String((req.body as Record<string, unknown> | undefined)?.pending ?? '');
    const grant = canvas.pendingAuthorizations.get(pending);
    if (!grant) return res.status(400).type('html').send(messagePage('Authorization expired', 'This authorization request is unknown or was already answered.'));
    canvas.pendingAuthorizations.delete(pending);
    const url = new URL(grant.redirectUri);
    if (req.path.endsWith('/accept')) url.searchParams.set('code', newCode(ctx, canvas, grant));
    else url.searchParams.set('error', 'access_denied');
    if (grant.state !== undefined) url.searchParams.set('state', grant.state);
    res.redirect(302, url.toString());
  });

  router.post('/login/oauth2/token', express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' }), (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'authorization_code' && body.grant_type !== 'refresh_token') return next();
    const key = canvas.developerKeys.get(String(body.client_id ?? ''));
    if (!key) return oauthError(res, 401, 'invalid_client', 'unknown client');
    if (body.client_secret !== key.secret) return oauthError(res, 401, 'invalid_client', 'invalid client');
    const user = (userId: string) => ({ id: Number(userId) || userId, name: ctx.state.users.get(userId)?.name ?? '', global_id: userId, effective_locale: 'en' });
    if (body.grant_type === 'authorization_code') {
      if (typeof body.code !== 'string' || body.code === '') return oauthError(res, 400, 'invalid_request', 'You must provide the code parameter when using the authorization_code grant type');
      const grant = canvas.codes.get(body.code);
      if (!grant || grant.expiresAt <= ctx.now()) return oauthError(res, 400, 'invalid_grant', 'authorization_code not found');
      if (grant.clientId !== key.clientId) return oauthError(res, 400, 'invalid_grant', 'incorrect client');
      if (typeof body.redirect_uri === 'string' && body.redirect_uri !== grant.redirectUri) return oauthError(res, 400, 'invalid_request', 'redirect_uri does not match client settings');
      canvas.codes.delete(body.code);
      const refreshToken = canvasToken();
      const accessToken = issueAccessToken(ctx, canvas, { userId: grant.userId, scopes: grant.scopes, developerKeyId: key.clientId, lifetimeSeconds: CANVAS_TOKEN_LIFETIME_SECONDS });
      canvas.refreshTokens.set(refreshToken, { clientId: key.clientId, userId: grant.userId, scopes: grant.scopes, accessToken });
      return res.set('Cache-Control', 'no-store').json({ access_token: accessToken, token_type: 'Bearer', user: user(grant.userId), canvas_region: 'us-east-1', refresh_token: refreshToken, expires_in: CANVAS_TOKEN_LIFETIME_SECONDS });
    }
    if (typeof body.refresh_token !== 'string' || body.refresh_token === '') return oauthError(res, 400, 'invalid_request', 'You must provide the refresh_token parameter when using the refresh_token grant type');
    const grant = canvas.refreshTokens.get(body.refresh_token);
    if (!grant) return oauthError(res, 400, 'invalid_request', 'refresh_token not found');
    if (grant.clientId !== key.clientId) return oauthError(res, 400, 'invalid_grant', 'incorrect client');
    // Canvas regenerates the access token of the same grant: the previous one stops working.
    const previous = canvas.tokens.get(grant.accessToken);
    if (previous) previous.revoked = true;
    grant.accessToken = issueAccessToken(ctx, canvas, { userId: grant.userId, scopes: grant.scopes, developerKeyId: key.clientId, lifetimeSeconds: CANVAS_TOKEN_LIFETIME_SECONDS });
    res.set('Cache-Control', 'no-store').json({ access_token: grant.accessToken, token_type: 'Bearer', user: user(grant.userId), canvas_region: 'us-east-1', expires_in: CANVAS_TOKEN_LIFETIME_SECONDS });
  });
  return router;
}

function newCode(ctx: SimContext, canvas: CanvasState, grant: { clientId: string; userId: string; redirectUri: string; scopes: readonly string[] | undefined }): string {
  const code = randomToken(24);
  canvas.codes.set(code, { ...grant, expiresAt: ctx.now() + CODE_LIFETIME_MS });
  return code;
}

export function issueAccessToken(ctx: SimContext, canvas: CanvasState, args: { userId: string; scopes: readonly string[] | undefined; developerKeyId?: string | undefined; lifetimeSeconds?: number | undefined }): string {
  const token = canvasToken();
  canvas.tokens.set(token, {
    token,
    userId: args.userId,
    scopes: args.scopes,
    expiresAt: args.lifetimeSeconds !== undefined ? ctx.now() + args.lifetimeSeconds * 1000 : undefined,
    developerKeyId: args.developerKeyId,
    revoked: false,
  });
  return token;
}
