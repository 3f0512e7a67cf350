/**
 * LTI 1.3 routes (thin: parse the request, call a handler in lti/, render a page): OIDC login,
 * launch, deep-linking response, Dynamic Registration, the tool's JWKS and Canvas configuration.
 * Every LtiError becomes a page that says what failed and what to tell the admin.
 */
import express, { Router, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import { buildDeepLinkingResponse, type ResourceLinkChoice } from '../lti/deep-linking.ts';
import { registerDynamically } from '../lti/dynamic-registration.ts';
import { LtiError } from '../lti/errors.ts';
import { FrameAncestors, ltiContentSecurityPolicy } from '../lti/frame-ancestors.ts';
import { STORAGE_CHECK_HEADER, handleLaunch } from '../lti/launch.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { LOGIN_STATE_TTL_MS, initiateLogin, launchUrl, stateCookieName } from '../lti/login.ts';
import { canvasConfiguration, toolUrls } from '../lti/tool-configuration.ts';
import type { SessionRecord } from '../store/lti-launch-repository.ts';
import { mountCourseRoutes, renderCourseHome, type CourseDeps } from './course-routes.ts';
import { onCourseLaunch } from '../issuance/course-launch.ts';
import { LTI_SCRIPTS, autoPostPage, deepLinkPage, launchPage, ltiErrorPage, registrationDonePage, storeStatePage, checkStatePage } from '../web/lti-pages.tsx';

const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

/** With `course`, launches land on the issuance pages and run the course's results syncs (course-routes.ts). */
export function ltiRoutes(lti: LtiServices, course?: CourseDeps): Router {
  const router = Router();
  const { publicUrl } = lti.settings;
  const secure = publicUrl.startsWith('https:');
  // The path the browser sees (PUBLIC_URL may carry a prefix that a proxy strips before us).
  const cookiePath = `${new URL(publicUrl).pathname.replace(/\/$/, '')}/lti/`;
  const frames = new FrameAncestors(lti.store.ltiPlatforms, lti.now);

  const sendPage = async (res: Response, html: string, status = 200, formActions: readonly string[] = []) => {
    const body = Buffer.from(html, 'utf8');
    // end(), not send(): a no-store page is never revalidated, so send()'s ETag (a hash of every page) is wasted work.
    res
      .status(status)
      .set('Content-Type', 'text/html; charset=utf-8')
      .set('Content-Length', String(body.length))
      .set('Cache-Control', 'no-store')
      .set('Content-Security-Policy', ltiContentSecurityPolicy(await frames.sources(), formActions))
      .end(body);
  };
  const fail = async (res: Response, error: unknown) => {
    if (error instanceof LtiError) return sendPage(res, ltiErrorPage(error), error.status);
    // Inside the LMS frame a page reads better than JSON; the detail goes to the log only.
    console.error(error);
    await sendPage(res, ltiErrorPage(new LtiError('LTI_INTERNAL_ERROR', 'Something went wrong on the tool’s side; nothing was saved.', 'Tell the microcred administrator: the error has been logged with its time.', 500)), 500);
  };
  const handle = (work: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await work(req, res);
    } catch (error) {
      await fail(res, error);
    }
  };

  // The scripts pages may run (no inline script anywhere): served from lti-tool/public as /assets/lti-*.js.
  for (const route of Object.values(LTI_SCRIPTS)) {
    const file = fileURLToPath(new URL(`../../public/${route.slice('/assets/'.length)}`, import.meta.url));
    router.get(route, (_req, res) => {
      res.set('Cache-Control', 'public, max-age=3600').type('text/javascript').sendFile(file);
    });
  }

  const login = handle(async (req, res) => {
    const params = req.method === 'POST' ? (req.body as Record<string, string>) : (req.query as Record<string, string>);
    const answer = await initiateLogin(pickStrings(params), { publicUrl, platforms: lti.store.ltiPlatforms, launches: lti.store.ltiLaunches, now: lti.now });
    res.cookie(stateCookieName(answer.state), '1', {
      httpOnly: true,
      path: cookiePath,
      maxAge: LOGIN_STATE_TTL_MS,
      // The launch is a cross-site form POST: only SameSite=None (which requires Secure) survives it.
      sameSite: secure ? 'none' : 'lax',
      secure,
    });
    if (answer.storage) {
      await sendPage(res, storeStatePage({ ...answer.storage, state: answer.state, nonce: answer.nonce, redirectUrl: answer.redirectUrl }));
      return;
    }
    // A bare 302: redirect() negotiates and renders a body no browser shows, on every login.
    res.status(302).set('Cache-Control', 'no-store').set('Location', answer.redirectUrl).end();
  });
  router.get('/lti/login', login);
  router.post('/lti/login', form, login);

  router.post(
    '/lti/launch',
    form,
    handle(async (req, res) => {
      const body = pickStrings(req.body as Record<string, unknown>);
      const state = body.state;
      const hasStateCookie = state !== undefined && readCookie(req, stateCookieName(state)) === '1';
      const fromToolScript = req.get(STORAGE_CHECK_HEADER) === '1';
      const outcome = await handleLaunch(body, { hasStateCookie, fromToolScript }, {
        platforms: lti.store.ltiPlatforms,
        launches: lti.store.ltiLaunches,
        platformKeys: lti.platformKeys,
        now: lti.now,
        skewSeconds: lti.settings.skewSeconds,
        ...(lti.settings.cookielessFallback === undefined ? {} : { cookielessFallback: lti.settings.cookielessFallback }),
      });
      if (outcome.kind === 'check-storage') {
        await sendPage(res, checkStatePage({ target: outcome.target, origin: outcome.origin, state: outcome.state, idToken: outcome.idToken, action: launchUrl(publicUrl) }));
        return;
      }
      if (state) res.clearCookie(stateCookieName(state), { path: cookiePath, sameSite: secure ? 'none' : 'lax', secure, httpOnly: true });
      const { session, platform } = outcome;
      if (course) {
        // Bind the activity on its first launch, award a completion rule, and sync this course's results now.
        try {
          await onCourseLaunch(course.issuance, session, { owner: course.owner, now: lti.now, readCohort: course.readCohort, ...(course.findLineItem ? { findLineItem: course.findLineItem } : {}) });
        } catch (error) {
          console.error(error);
        }
      }
      if (fromToolScript) {
        // lti-storage.js fetched this; it navigates to the session's page itself.
        const next = session.messageType === 'LtiDeepLinkingRequest' ? '/lti/deep-link' : '/lti/home';
        res.set('Cache-Control', 'no-store').json({ next: `${next}?session=${encodeURIComponent(session.id)}` });
        return;
      }
      if (session.messageType === 'LtiDeepLinkingRequest') {
        await sendPage(res, deepLinkPage({ sessionId: session.id, csrfToken: session.csrfToken, courseTitle: courseTitle(session) }));
      } else {
        await sendPage(res, await homeHtml(session, platform.name));
      }
    }),
  );

  router.get(
    '/lti/home',
    handle(async (req, res) => {
      const session = await requireSession(lti, req.query.session);
      const platform = await lti.store.ltiPlatforms.byId(session.platformId);
      await sendPage(res, await homeHtml(session, platform?.name ?? 'LMS'));
    }),
  );

  router.get(
    '/lti/deep-link',
    handle(async (req, res) => {
      const session = await requireSession(lti, req.query.session);
      if (session.messageType !== 'LtiDeepLinkingRequest') throw new LtiError('LTI_DEEP_LINK_INVALID', 'This page was not opened to add content to the course.');
      await sendPage(res, deepLinkPage({ sessionId: session.id, csrfToken: session.csrfToken, courseTitle: courseTitle(session) }));
    }),
  );

  router.post(
    '/lti/deep-link',
    form,
    handle(async (req, res) => {
      const body = pickStrings(req.body as Record<string, unknown>);
      const session = await requireSession(lti, body.session);
      checkCsrf(session, body.csrf);
      const choice = resourceLinkChoice(body);
      if (!choice.ok) {
        await sendPage(res, deepLinkPage({ sessionId: session.id, csrfToken: session.csrfToken, courseTitle: courseTitle(session), problems: choice.problems }), 400);
        return;
      }
      const platform = await lti.store.ltiPlatforms.byId(session.platformId);
      if (!platform) throw new LtiError('LTI_PLATFORM_UNKNOWN', 'The platform registration of this session was removed.');
      const response = await buildDeepLinkingResponse(session, platform, [choice.item], { toolKeys: lti.toolKeys, now: lti.now, targetLinkUri: toolUrls(publicUrl).launch });
      await sendPage(res, autoPostPage({ action: response.returnUrl, jwt: response.jwt }), 200, [new URL(response.returnUrl).origin]);
    }),
  );

  const homeHtml = async (session: SessionRecord, platformName: string): Promise<string> =>
    course && session.contextId && session.messageType === 'LtiResourceLinkRequest' ? renderCourseHome(lti, course, session, launchView(session, platformName)) : launchPage(launchView(session, platformName));
  if (course) {
    mountCourseRoutes(router, lti, course, {
      sendPage,
      handle,
      requireSession: (id) => requireSession(lti, id),
      checkCsrf,
      launchView: async (session) => launchView(session, (await lti.store.ltiPlatforms.byId(session.platformId))?.name ?? 'LMS'),
      form,
    });
  }

  router.get(
    '/lti/register',
    handle(async (req, res) => {
      const query = pickStrings(req.query as Record<string, unknown>);
      const result = await registerDynamically(query, { publicUrl, toolName: lti.settings.toolName, http: lti.serviceDeps.http, platforms: lti.store.ltiPlatforms });
      frames.invalidate();
      await sendPage(res, registrationDonePage({ platformName: result.platform.name, clientId: result.platform.clientId, deploymentId: result.deploymentId, productFamily: result.productFamily }));
    }),
  );

  router.get('/lti/jwks.json', async (_req, res) => {
    res.set('Content-Type', 'application/jwk-set+json; charset=utf-8').set('Cache-Control', 'public, max-age=300').set('Access-Control-Allow-Origin', '*').send(JSON.stringify(await lti.toolKeys.jwks()));
  });
  router.get('/lti/canvas.json', (_req, res) => {
    res.set('Content-Type', 'application/json; charset=utf-8').set('Access-Control-Allow-Origin', '*').send(JSON.stringify(canvasConfiguration(publicUrl, lti.settings.toolName), null, 2));
  });
  return router;
}

/** The session named in the URL or form (never only a cookie: third-party cookies may be blocked in the LMS iframe). */
async function requireSession(lti: LtiServices, id: unknown): Promise<SessionRecord> {
  const session = typeof id === 'string' && id.length <= 100 ? await lti.session(id) : undefined;
  if (!session) throw new LtiError('LTI_SESSION_INVALID', 'Your session with the tool has ended.', 'Open the tool again from the course page; sessions last one hour.', 401);
  return session;
}

function checkCsrf(session: SessionRecord, token: string | undefined): void {
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(token ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new LtiError('LTI_CSRF_INVALID', 'This form was not sent from the tool’s own page.', 'Reload the tool from the course page and try again.', 403);
  }
}

function resourceLinkChoice(body: Record<string, string | undefined>): { ok: true; item: ResourceLinkChoice } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const title = (body.title ?? '').trim();
  if (!title || title.length > 200) problems.push('Give the activity a title (at most 200 characters).');
  const scoreText = (body.score_maximum ?? '').trim();
  const scoreMaximum = scoreText === '' ? undefined : Number(scoreText);
  if (scoreMaximum !== undefined && !(Number.isFinite(scoreMaximum) && scoreMaximum > 0)) problems.push('The maximum score must be a number above 0.');
  const custom: Record<string, string> = {};
  for (const line of (body.custom ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    const name = line.slice(0, at).trim();
    if (at < 1 || !/^[A-Za-z0-9_]{1,64}$/.test(name)) problems.push(`Custom parameter "${line.trim().slice(0, 40)}" must look like name=value (letters, digits, _).`);
    else custom[name] = line.slice(at + 1).trim();
  }
  if (problems.length > 0) return { ok: false, problems };
  const label = (body.label ?? '').trim() || title;
  const item: ResourceLinkChoice = {
    title,
    ...(scoreMaximum !== undefined ? { lineItem: { scoreMaximum, label: label.slice(0, 200), ...(body.resource_id?.trim() ? { resourceId: body.resource_id.trim() } : {}), ...(body.tag?.trim() ? { tag: body.tag.trim() } : {}) } } : {}),
    custom,
  };
  return { ok: true, item };
}

function launchView(session: SessionRecord, platformName: string) {
  const name = stringClaim(session.launch, 'name') ?? ([stringClaim(session.launch, 'given_name'), stringClaim(session.launch, 'family_name')].filter(Boolean).join(' ') || session.userId);
  return { sessionId: session.id, userName: name, courseTitle: courseTitle(session), roles: session.roles, platformName };
}

function courseTitle(session: SessionRecord): string {
  const context = objectClaim(session.launch, CLAIM.context);
  return stringClaim(context, 'title') ?? stringClaim(context, 'label') ?? 'this course';
}

function pickStrings(source: Record<string, unknown> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(source ?? {})) if (typeof value === 'string') out[name] = value;
  return out;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
