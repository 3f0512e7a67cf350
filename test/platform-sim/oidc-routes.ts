/**
 * 1EdTech Security Framework 1.0 §5.1.1 (OpenID Connect Core §4 third-party initiated login and
 * §3.2 implicit flow with response_mode=form_post) — the platform half: the LMS page that posts
 * the login initiation to the tool, and the authorization endpoint that checks the tool's
 * authentication request and answers with an auto-submitting form carrying id_token and state.
 *
 * Errors follow the platforms: Moodle's auth.php posts `error`/`error_description` back to the
 * given redirect_uri (even an unregistered one, which is how the tool can name it); Canvas
 * answers an unregistered redirect_uri with its own error page.
 */
import express, { type Request, type Response } from 'express';
import { autoSubmitPage, messagePage, parseCookies, type SimContext } from './context.ts';
import { escapeHtml } from './html-forms.ts';
import { storageScript } from './platform-storage.ts';
import { randomToken } from './flavours.ts';
import { buildLaunchClaims } from './launch-claims.ts';
import type { LaunchOverride, PendingLaunch, SimTool } from './model.ts';

export function oidcRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  const launchPage = ctx.profile.flavour === 'moodle' ? '/mod/lti/launch.php' : '/courses/:courseId/external_tools/retrieve';
  router.get(launchPage, (req, res) => {
    const key = String(req.query.id ?? req.query.launch ?? '');
    const launch = ctx.state.launches.get(key);
    if (!launch) {
      res.status(404).type('html').send(messagePage('Not found', 'This activity does not exist.'));
      return;
    }
    const tool = ctx.state.tools.get(launch.clientId);
    if (!tool) {
      res.status(404).type('html').send(messagePage('Tool not found', 'The external tool of this activity was deleted.'));
      return;
    }
    const cookieName = ctx.profile.sessionCookie;
    let session = parseCookies(req.headers.cookie)[cookieName];
    if (!session) {
      session = randomToken(18);
      res.append('Set-Cookie', `${cookieName}=${session}; Path=/; HttpOnly; SameSite=Lax`);
    }
    launch.sessionId = session;
    const fields: Record<string, string> = {
      iss: ctx.issuer(),
      target_link_uri: launch.messageType === 'LtiDeepLinkingRequest' ? (tool.deepLinkUrl ?? tool.targetLinkUri) : tool.targetLinkUri,
      login_hint: launch.loginHint,
      lti_message_hint: launch.messageHint,
      client_id: tool.clientId,
      lti_deployment_id: tool.deploymentId,
    };
    if (ctx.profile.flavour === 'canvas') {
      fields.canvas_environment = 'prod';
      fields.canvas_region = 'not_configured';
    }
    if (launch.storageTarget) fields.lti_storage_target = launch.storageTarget;
    const method = req.query.method === 'GET' ? 'GET' : 'POST';
    if (req.query.frame === '1') {
      res.type('html').send(framedLaunchPage(ctx, tool.loginUrl, method, fields, launch.storageTarget));
      return;
    }
    res.type('html').send(autoSubmitPage(tool.loginUrl, method, fields, 'ltiInitiateLoginForm', 'Launching the tool'));
  });
  router.get(ctx.profile.paths.authorize, (req, res) => authorize(ctx, req.query as Record<string, unknown>, req, res));
  router.post(ctx.profile.paths.authorize, express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => authorize(ctx, (req.body ?? {}) as Record<string, unknown>, req, res));
  return router;
}

type AuthParams = Record<string, string>;

function stringParams(raw: Record<string, unknown>): AuthParams {
  const out: AuthParams = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') out[key] = value;
  return out;
}

async function authorize(ctx: SimContext, raw: Record<string, unknown>, req: Request, res: Response): Promise<void> {
  const params = stringParams(raw);
  const redirectUri = params.redirect_uri ?? '';
  const launch = ctx.state.launches.get(messageHintKey(ctx, params.lti_message_hint ?? ''));
  const tool = launch ? ctx.state.tools.get(launch.clientId) : undefined;
  const session = parseCookies(req.headers.cookie)[ctx.profile.sessionCookie];
  const pageError = (error: string, description: string): void => {
    res.status(400).type('html').send(messagePage('Invalid request', `${error}: ${description}`, { 'data-error': error }));
  };
  const postError = (error: string, description: string | undefined): void => {
    const fields: Record<string, string> = { error, ...(description ? { error_description: description } : {}) };
    if (params.state !== undefined) fields.state = params.state;
    ctx.state.authorizationResponses.push({ redirectUri, fields: { ...fields } });
    res.type('html').send(autoSubmitPage(redirectUri, 'POST', fields, 'ltiAuthForm', 'Authorization error'));
  };
  const problem = ctx.profile.flavour === 'moodle' ? moodleChecks(params, launch, tool, session, ctx.legacyMoodleAuth) : canvasChecks(params, launch, tool, session);
  if (problem) {
    if (problem.where === 'page') pageError(problem.error, problem.description ?? problem.error);
    else postError(problem.error, problem.description);
    return;
  }
  launch!.authorized = true;
  // Moodle keeps the message hint in the session and unsets it on every authentication request.
  if (ctx.profile.flavour === 'moodle') ctx.state.launchByHint.delete(launch!.messageHint);
  const idToken = await signLaunch(ctx, launch!, params.nonce!);
  const fields: Record<string, string> = { id_token: idToken, state: launch!.override.state ?? params.state ?? '' };
  if (params.state === undefined && launch!.override.state === undefined) delete fields.state;
  if (ctx.profile.flavour === 'canvas' && launch!.storageTarget) fields.lti_storage_target = launch!.storageTarget;
  ctx.state.authorizationResponses.push({ redirectUri, fields: { ...fields } });
  res.type('html').send(autoSubmitPage(redirectUri, 'POST', fields, 'ltiAuthForm', 'Launching the tool'));
}

interface AuthProblem {
  /** 'page': the platform shows its own error page; 'post': the error is form-posted to the redirect_uri. */
  readonly where: 'page' | 'post';
  readonly error: string;
  readonly description: string | undefined;
}

const PENDING = 'The tool is not active on this site (pending approval by an administrator).';

/**
 * mod/lti/auth.php (Moodle 4.x): problems found before the tool's configuration is loaded
 * (missing parameters or session, scope, response_type, unknown message hint) and an unregistered
 * redirect_uri end on Moodle's own error page; client_id, login_hint, response_mode and prompt
 * errors are posted back to the (registered) redirect_uri. The message hint is single-use.
 */
function moodleChecks(p: AuthParams, launch: PendingLaunch | undefined, tool: SimTool | undefined, session: string | undefined, legacy: boolean): AuthProblem | undefined {
  // Before the fix, auth.php posted every error to whatever redirect_uri it was given.
  const page = (error: string, description?: string): AuthProblem => ({ where: legacy && p.redirect_uri ? 'post' : 'page', error, description });
  const post = (error: string, description?: string): AuthProblem => ({ where: 'post', error, description });
  if (!p.scope || !p.response_type || !p.client_id || !p.redirect_uri || !p.login_hint || !p.nonce) return page('invalid_request', 'A required parameter is missing.');
  if (!launch || !tool || !session || session !== launch.sessionId) return page('invalid_request', 'There is no launch waiting in this Moodle session.');
  if (p.scope !== 'openid') return page('invalid_scope');
  if (p.response_type !== 'id_token') return page('unsupported_response_type');
  let deferred: AuthProblem | undefined;
  if (p.client_id !== tool.clientId) deferred = post('unauthorized_client');
  else if (p.login_hint !== launch.loginHint) deferred = post('access_denied');
  if (!tool.redirectUris.includes(p.redirect_uri)) return legacy ? deferred ?? page('invalid_request', `Unregistered redirect_uri ${p.redirect_uri}`) : page('invalid_request', 'The redirect_uri is not registered for this tool.');
  if (deferred) return deferred;
  if (p.response_mode === undefined) return post('invalid_request', 'Missing response_mode');
  if (p.response_mode !== 'form_post') return post('invalid_request', 'Invalid response_mode');
  if (p.prompt && p.prompt !== 'none') return post('invalid_request', 'Invalid prompt');
  // Assumption (not observed, not in auth.php): a tool still "Pending" is refused here.
  if (tool.status !== 'active') return post('unauthorized_client', PENDING);
  return undefined;
}

/** Canvas: an unknown client or an unregistered redirect_uri gets Canvas's error page; other errors go back to the tool. */
function canvasChecks(p: AuthParams, launch: PendingLaunch | undefined, tool: SimTool | undefined, session: string | undefined): AuthProblem | undefined {
  const registered = tool !== undefined && p.redirect_uri !== undefined && tool.redirectUris.includes(p.redirect_uri);
  const fail = (error: string, description: string): AuthProblem => ({ where: registered ? 'post' : 'page', error, description });
  if (!p.scope || !p.response_type || !p.client_id || !p.redirect_uri || !p.login_hint || !p.nonce) return fail('invalid_request', 'Missing one of scope, response_type, client_id, redirect_uri, login_hint or nonce.');
  if (!launch || !tool) return fail('invalid_request', 'Unknown or expired lti_message_hint.');
  if (!registered) return fail('invalid_request', 'Invalid redirect_uri');
  if (p.scope !== 'openid') return fail('invalid_scope', `Invalid scope "${p.scope}".`);
  if (p.response_type !== 'id_token') return fail('unsupported_response_type', `Invalid response_type "${p.response_type}".`);
  if (p.response_mode !== 'form_post') return fail('invalid_request', 'Invalid response_mode');
  if (p.prompt !== undefined && p.prompt !== 'none') return fail('invalid_request', 'Invalid prompt');
  if (!session || session !== launch.sessionId) return fail('login_required', 'The platform session of this launch was not presented.');
  if (p.client_id !== tool.clientId) return fail('unauthorized_client', `Unknown client_id "${p.client_id}".`);
  if (tool.status !== 'active') return fail('unauthorized_client', PENDING);
  if (p.login_hint !== launch.loginHint) return fail('access_denied', 'The login_hint does not match the signed-in user.');
  return undefined;
}

function messageHintKey(ctx: SimContext, hint: string): string {
  return ctx.state.launchByHint.get(hint) ?? '';
}

export async function signLaunch(ctx: SimContext, launch: PendingLaunch, nonce: string): Promise<string> {
  const { state, profile } = ctx;
  const tool = state.tools.get(launch.clientId)!;
  const user = state.users.get(launch.userId)!;
  const course = state.courses.get(launch.courseId)!;
  const activity = launch.activityId ? state.activities.get(launch.activityId) : undefined;
  const override: LaunchOverride = launch.override;
  const iat = Math.floor(ctx.now() / 1000) + (override.iatOffsetSeconds ?? 0);
  const deepLink = launch.messageType === 'LtiDeepLinkingRequest' ? state.deepLinkSessions.get(launch.key) : undefined;
  const claims = buildLaunchClaims({ profile, state, baseUrl: ctx.baseUrl(), tool, user, course, activity, messageType: launch.messageType, deepLink, nonce: override.nonce ?? nonce, iat });
  claims.exp = iat + (override.lifetimeSeconds ?? profile.idTokenLifetimeSeconds);
  Object.assign(claims, override.claims ?? {});
  if (override.aud !== undefined) claims.aud = override.aud;
  if (override.azp !== undefined) claims.azp = override.azp;
  for (const name of override.removeClaims ?? []) delete claims[name];
  return ctx.keys.signIdToken(claims, override);
}

/**
 * The LMS course page for real browsers: the tool in an iframe named tool_content (as Canvas
 * names it), the login initiation posted into it, and the platform-storage receiver: Canvas's
 * hidden post_message_forwarding frame, or this page itself for the '_parent' target.
 */
function framedLaunchPage(ctx: SimContext, action: string, method: 'GET' | 'POST', fields: Record<string, string>, storageTarget: string | undefined): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const storage =
    storageTarget === undefined
      ? ''
      : storageTarget === '_parent'
        ? `<script>${storageScript('_parent', true)}</script>`
        : `<script>${storageScript(storageTarget, false)}</script><iframe name="${escapeHtml(storageTarget)}" src="${ctx.baseUrl()}/post_message_forwarding" hidden></iframe>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Course</title></head><body>
${storage}
<iframe name="tool_content" id="tool_content" title="Tool content" style="width:100%;height:600px" allow="clipboard-write"></iframe>
<form id="tool_form" action="${escapeHtml(action)}" method="${method.toLowerCase()}" target="tool_content">${inputs}</form>
<script>document.getElementById('tool_form').submit();</script>
</body></html>`;
}
