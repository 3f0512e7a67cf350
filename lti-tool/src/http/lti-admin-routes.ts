/**
 * /admin: platform registrations. Protected by the admin token (MICROCRED_ADMIN_TOKEN, or one
 * generated and printed at start): sent as `Authorization: Bearer`, or exchanged once on the
 * sign-in form for an HttpOnly, SameSite=Strict cookie holding a keyed hash of it (never the
 * token). Every form carries a CSRF token derived from the same secret. The page refuses framing.
 */
import express, { Router, type Request, type Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkPlatformInput } from '../lti/manual-registration.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { toolUrls } from '../lti/tool-configuration.ts';
import { adminLoginPage, adminPlatformsPage } from '../web/lti-admin-pages.tsx';

const COOKIE = 'microcred_admin';
const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 30 });

/** The admin token check, CSRF token and page headers every /admin route shares (the LMS connection pages too). */
export interface AdminAccess {
  authed(req: Request): boolean;
  /** The CSRF token forms carry. */
  readonly csrf: string;
  csrfOk(req: Request): boolean;
  /** Sends an admin page: never cached, never framed, forms post only to the tool. */
  page(res: Response, html: string, status?: number): void;
  /** The session cookie, set after a good sign-in. */
  readonly sessionCookie: { readonly name: string; readonly value: string; readonly secure: boolean };
}

export function adminAccess(lti: LtiServices): AdminAccess {
  const derive = (purpose: string) => createHmac('sha256', lti.adminToken).update(`microcred admin ${purpose}`).digest('base64url');
  const sessionValue = derive('session');
  const csrf = derive('csrf');
  return {
    authed(req) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (bearer !== undefined) return same(bearer, lti.adminToken);
      return same(readCookie(req, COOKIE) ?? '', sessionValue);
    },
    csrf,
    // A bearer-token caller is not a browser, so it needs no CSRF token; a cookie session does.
    csrfOk: (req) => Boolean(req.headers.authorization) || same(String((req.body as Record<string, unknown> | undefined)?.csrf ?? ''), csrf),
    page(res, html, status = 200) {
      res.status(status).set('Content-Type', 'text/html; charset=utf-8').set('Cache-Control', 'no-store').set('Content-Security-Policy', "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'").send(html);
    },
    sessionCookie: { name: COOKIE, value: sessionValue, secure: lti.settings.publicUrl.startsWith('https:') },
  };
}

export function ltiAdminRoutes(lti: LtiServices): Router {
  const router = Router();
  const { authed, csrf, csrfOk, page, sessionCookie } = adminAccess(lti);
  const listPage = async (res: Response, problems?: string[]) =>
    page(
      res,
      adminPlatformsPage({ platforms: await lti.store.ltiPlatforms.list(), keys: await lti.toolKeys.list(), csrf, urls: toolUrls(lti.settings.publicUrl), ...(problems ? { problems } : {}) }),
      problems ? 400 : 200,
    );

  router.get('/admin', async (req, res) => {
    if (!authed(req)) return page(res, adminLoginPage({}), 401);
    await listPage(res);
  });
  router.post('/admin/login', form, (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!same(token, lti.adminToken)) return page(res, adminLoginPage({ failed: true }), 401);
    res.cookie(sessionCookie.name, sessionCookie.value, { httpOnly: true, sameSite: 'strict', secure: sessionCookie.secure, path: '/admin', maxAge: 8 * 3_600_000 });
    res.redirect(303, '/admin');
  });
  router.post('/admin/platforms', form, async (req, res) => {
    if (!authed(req)) return page(res, adminLoginPage({}), 401);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!csrfOk(req)) return page(res, adminLoginPage({}), 403);
    const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
    const checked = checkPlatformInput({
      name: str('name'),
      issuer: str('issuer'),
      clientId: str('client_id'),
      deploymentIds: (str('deployment_ids') ?? '').split(/[\r\n,]+/),
      authUrl: str('auth_url'),
      tokenUrl: str('token_url'),
      jwksUrl: str('jwks_url'),
    });
    if (!checked.ok) return listPage(res, [...checked.problems]);
    await lti.store.ltiPlatforms.upsert(checked.platform);
    res.redirect(303, '/admin');
  });
  // Security Framework §6.3: a new LTI key signs from now on; the previous one stays in /lti/jwks.json.
  router.post('/admin/lti-keys/rotate', form, async (req, res) => {
    if (!authed(req)) return page(res, adminLoginPage({}), 401);
    if (!csrfOk(req)) return page(res, adminLoginPage({}), 403);
    await lti.toolKeys.rotate();
    res.redirect(303, '/admin');
  });
  return router;
}

function same(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'compare').update(given).digest();
  const b = createHmac('sha256', 'compare').update(expected).digest();
  return timingSafeEqual(a, b);
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
