/**
 * /admin/lms: connecting each platform registration to its LMS's own REST API (issue 7), behind the
 * same admin token, cookie and CSRF token as /admin (adminAccess). Thin: LmsConnections tests,
 * seals and stores; these routes check the form, call it and render what came back.
 */
import express, { Router, type Request, type Response } from 'express';
import { checkFetchableUrl } from '../../../shared/net/fetch-document.ts';
import type { LmsConnections } from '../lms/lms-connections.ts';
import { LmsError, type LmsKind } from '../lms/lms-source.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { adminLmsAuthorizePage, adminLmsListPage, adminLmsOAuthResultPage, adminLmsPlatformPage, lmsPlatformPath, type ConnectionNotice, type TypedConnection } from '../web/lms-admin-pages.tsx';
import { adminLoginPage } from '../web/lti-admin-pages.tsx';
import { explainLmsError } from '../web/lms-explain.tsx';
import { adminAccess } from './lti-admin-routes.ts';

const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
const MAX_URL = 2_000;
const MAX_SECRET = 4_096;
export const CANVAS_CALLBACK_PATH = '/admin/lms/canvas/callback';

export function lmsAdminRoutes(lti: LtiServices, lms: LmsConnections): Router {
  const router = Router();
  const { authed, csrf, csrfOk, page } = adminAccess(lti);
  const callbackUrl = `${lti.settings.publicUrl}${CANVAS_CALLBACK_PATH}`;

  /** The signed-in admin and the platform of the URL, or an answer already sent. */
  const platformFor = async (req: Request, res: Response, post: boolean): Promise<PlatformRecord | undefined> => {
    if (!authed(req)) return void page(res, adminLoginPage({}), 401);
    if (post && !csrfOk(req)) return void page(res, adminLoginPage({}), 403);
    const platform = await lti.store.ltiPlatforms.byId(String(req.params.platformId));
    if (!platform) return void res.status(404).json({ error: 'not_found', message: 'There is no platform registration with this id.' });
    return platform;
  };
  const platformPage = async (res: Response, platform: PlatformRecord, extra: { typed?: TypedConnection; notice?: ConnectionNotice } = {}, status = 200) =>
    page(res, adminLmsPlatformPage({ platform, connection: await lms.get(platform.id), csrf, callbackUrl, ...extra }), status);
  const field = (req: Request, name: string, max: number): string => {
    const value = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value.trim().slice(0, max + 1) : '';
  };

  router.get('/admin/lms', async (req, res) => {
    if (!authed(req)) return page(res, adminLoginPage({}), 401);
    const platforms = await lti.store.ltiPlatforms.list();
    const connections = new Map((await lms.list()).map((c) => [c.platformId, c]));
    page(res, adminLmsListPage({ rows: platforms.map((platform) => ({ platform, connection: connections.get(platform.id) })) }));
  });

  router.get('/admin/lms/platforms/:platformId', async (req, res) => {
    const platform = await platformFor(req, res, false);
    if (platform) await platformPage(res, platform);
  });

  router.post('/admin/lms/platforms/:platformId/token', form, async (req, res) => {
    const platform = await platformFor(req, res, true);
    if (!platform) return;
    const kind: LmsKind = field(req, 'kind', 10) === 'canvas' ? 'canvas' : 'moodle';
    const baseUrl = field(req, 'base_url', MAX_URL);
    const typed: TypedConnection = { form: kind === 'canvas' ? 'canvas-token' : 'moodle-token', baseUrl };
    const token = field(req, 'token', MAX_SECRET);
    const problem = urlProblem(baseUrl) ?? (token === '' ? 'Paste the token.' : token.length > MAX_SECRET ? 'That token is too long to be one.' : undefined);
    if (problem) return platformPage(res, platform, { typed, notice: { ok: false, message: problem } }, 400);
    const check = await lmsCall(() => lms.saveToken({ platformId: platform.id, kind, baseUrl: withoutTrailingSlash(baseUrl), token }));
    if (check.ok) return void res.redirect(303, lmsPlatformPath(platform.id));
    await platformPage(res, platform, { typed, notice: check }, 400);
  });

  router.post('/admin/lms/platforms/:platformId/canvas-oauth', form, async (req, res) => {
    const platform = await platformFor(req, res, true);
    if (!platform) return;
    const baseUrl = field(req, 'base_url', MAX_URL);
    const clientId = field(req, 'client_id', 200);
    const typed: TypedConnection = { form: 'canvas-oauth', baseUrl, clientId };
    const clientSecret = field(req, 'client_secret', MAX_SECRET);
    const problem = urlProblem(baseUrl) ?? (!/^[A-Za-z0-9_.-]{1,200}$/.test(clientId) ? 'The client id is the number Canvas shows under Details of the developer key.' : clientSecret === '' || clientSecret.length > MAX_SECRET ? 'Paste the developer key’s secret (Canvas shows it with “Show Key”).' : undefined);
    if (problem) return platformPage(res, platform, { typed, notice: { ok: false, message: problem } }, 400);
    try {
      const { authorizeUrl } = await lms.startCanvasOAuth({ platformId: platform.id, baseUrl: withoutTrailingSlash(baseUrl), clientId, clientSecret, redirectUri: callbackUrl });
      page(res, adminLmsAuthorizePage({ authorizeUrl }));
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      await platformPage(res, platform, { typed, notice: { ok: false, message: explainLmsError(error) } }, 400);
    }
  });

  // No admin cookie here: Canvas's redirect is a cross-site navigation, which never carries the
  // SameSite=Strict session. The single-use state the signed-in admin started the flow with is the proof.
  router.get(CANVAS_CALLBACK_PATH, async (req, res) => {
    const query = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).slice(0, 2_000) : '');
    if (query('error')) {
      const declined = query('error') === 'access_denied';
      return page(res, adminLmsOAuthResultPage({ ok: false, message: declined ? 'Canvas says the authorisation was declined, so the tool cannot read course progress. Start again and choose “Authorize”.' : `Canvas answered with an error: ${query('error_description') || query('error')}.` }), 400);
    }
    if (!query('state') || !query('code')) return page(res, adminLmsOAuthResultPage({ ok: false, message: 'This address is where Canvas sends you back after authorising the tool; open it from the LMS connection page.' }), 400);
    try {
      const check = await lms.finishCanvasOAuth({ state: query('state'), code: query('code') });
      page(res, adminLmsOAuthResultPage({ ok: check.ok, message: check.message, missing: check.missing, platformId: check.platformId }), check.ok ? 200 : 400);
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      page(res, adminLmsOAuthResultPage({ ok: false, message: explainLmsError(error) }), 400);
    }
  });

  router.post('/admin/lms/platforms/:platformId/recheck', form, async (req, res) => {
    const platform = await platformFor(req, res, true);
    if (!platform) return;
    if (!(await lms.get(platform.id))) return platformPage(res, platform, { notice: { ok: false, message: 'There is no connection to test yet: connect the LMS first.' } }, 400);
    const check = await lmsCall(() => lms.recheck(platform.id));
    await platformPage(res, platform, { notice: check.ok ? { ok: true, message: check.message || 'The connection works.' } : check }, check.ok ? 200 : 400);
  });

  router.post('/admin/lms/platforms/:platformId/remove', form, async (req, res) => {
    const platform = await platformFor(req, res, true);
    if (!platform) return;
    await lms.remove(platform.id);
    res.redirect(303, '/admin/lms');
  });
  return router;
}

/** An LMS that cannot be reached or refuses is an outcome to show, not a server error. */
async function lmsCall(work: () => Promise<{ ok: boolean; message: string; missing: readonly string[] }>): Promise<ConnectionNotice> {
  try {
    const check = await work();
    return { ok: check.ok, message: check.message, missing: check.missing };
  } catch (error) {
    if (!(error instanceof LmsError)) throw error;
    return { ok: false, message: explainLmsError(error), missing: error.details.missing ?? [] };
  }
}

function urlProblem(url: string): string | undefined {
  if (url === '') return 'Enter the LMS’s address.';
  if (url.length > MAX_URL) return 'That address is too long.';
  return checkFetchableUrl(url);
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
