/**
 * 1EdTech Security Framework 1.0 §4.1 / RFC 6749 §4.4 client_credentials with an RFC 7523 §2.2
 * JWT client assertion (private_key_jwt): the assertion is checked against the tool's registered
 * JWKS URL (iss = sub = client_id, aud = this token endpoint, exp, iat, single-use jti), and the
 * access token grants the intersection of the requested and the permitted scopes (3600 s).
 */
import express from 'express';
import { decodeJwt } from 'jose';
import type { SimContext } from './context.ts';
import { randomToken } from './flavours.ts';
import { verifyToolJwt } from './tool-jwt.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function tokenRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  router.post(ctx.profile.paths.token, express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const oauthError = (status: number, error: string, description: string) => {
      res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
    };
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The token request must be a form post (application/x-www-form-urlencoded).');
    }
    if (body.grant_type !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    if (body.client_assertion_type !== ASSERTION_TYPE) return oauthError(400, 'invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}.`);
    if (typeof body.client_assertion !== 'string' || body.client_assertion === '') return oauthError(400, 'invalid_request', 'client_assertion is missing.');
    if (typeof body.scope !== 'string' || body.scope.trim() === '') return oauthError(400, 'invalid_request', 'scope is missing.');
    let unverified: Record<string, unknown>;
    try {
      unverified = decodeJwt(body.client_assertion);
    } catch {
      return oauthError(400, 'invalid_request', 'client_assertion is not a JWT.');
    }
    const clientId = typeof unverified.iss === 'string' ? unverified.iss : '';
    const tool = ctx.state.tools.get(clientId);
    if (!tool) return oauthError(401, 'invalid_client', `Unknown client "${clientId}".`);
    if (tool.status !== 'active') return oauthError(401, 'invalid_client', 'The tool is not active on this platform.');
    const tokenUrl = `${ctx.baseUrl()}${ctx.profile.paths.token}`;
    const verified = await verifyToolJwt(body.client_assertion, { jwksUrl: tool.jwksUrl, issuer: tool.clientId, subject: tool.clientId, audience: tokenUrl, now: ctx.now() });
    if (!verified.ok) return oauthError(401, 'invalid_client', `The client assertion was refused: ${verified.reason}`);
    const jti = verified.payload.jti;
    if (typeof jti !== 'string' || jti === '') return oauthError(400, 'invalid_grant', 'The client assertion has no jti.');
    if (ctx.state.usedAssertionIds.has(`${clientId}|${jti}`)) return oauthError(400, 'invalid_grant', 'The client assertion jti was already used.');
    ctx.state.usedAssertionIds.add(`${clientId}|${jti}`);
    const requested = body.scope.split(/\s+/).filter(Boolean);
    const granted = requested.filter((scope) => tool.scopes.includes(scope));
    if (granted.length === 0) return oauthError(400, 'invalid_scope', 'None of the requested scopes is permitted to this tool.');
    const token = randomToken(32);
    const lifetime = ctx.profile.accessTokenLifetimeSeconds;
    ctx.state.accessTokens.set(token, { token, clientId, scopes: granted, expiresAt: ctx.now() + lifetime * 1000 });
    ctx.state.tokensIssued.push({ clientId, scopes: granted });
    res.set('Cache-Control', 'no-store').json({ access_token: token, token_type: 'Bearer', expires_in: lifetime, scope: granted.join(' ') });
  });
  return router;
}
