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
import type { LaunchOverride, PendingLaunch } from './model.ts';

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
  const fail = (error: string, description: string): void => {
    if (!redirectUri || (ctx.profile.flavour === 'canvas' && !(tool?.redirectUris.includes(redirectUri) ?? false))) {
      res.status(400).type('html').send(messagePage('Invalid request', `${error}: ${description}`, { 'data-error': error }));
      return;
    }
    const fields: Record<string, string> = { error, error_description: description };
    if (params.state !== undefined) fields.state = params.state;
    res.type('html').send(autoSubmitPage(redirectUri, 'POST', fields, 'ltiAuthForm', 'Authorization error'));
  };
  if (!params.scope || !params.response_type || !params.client_id || !redirectUri || !params.login_hint || !params.nonce) {
    fail('invalid_request', 'Missing one of scope, response_type, client_id, redirect_uri, login_hint or nonce.');
    return;
  }
  if (params.scope !== 'openid') return fail('invalid_scope', `Invalid scope "${params.scope}".`);
  if (params.response_type !== 'id_token') return fail('unsupported_response_type', `Invalid response_type "${params.response_type}".`);
  if (params.response_mode !== 'form_post') return fail('invalid_request', 'Invalid response_mode');
  if (params.prompt !== undefined && params.prompt !== 'none') return fail('invalid_request', 'Invalid prompt');
  if (!launch || !tool) return fail('invalid_request', 'Unknown or expired lti_message_hint.');
  const session = parseCookies(req.headers.cookie)[ctx.profile.sessionCookie];
  if (!session || session !== launch.sessionId) return fail('login_required', 'The platform session of this launch was not presented.');
  if (params.client_id !== tool.clientId) return fail('unauthorized_client', `Unknown client_id "${params.client_id}".`);
  // Assumption (not observed): a Moodle tool still "Pending" is refused here with unauthorized_client.
  if (tool.status !== 'active') return fail('unauthorized_client', 'The tool is not active on this site (pending approval by an administrator).');
  if (params.login_hint !== launch.loginHint) return fail('access_denied', 'The login_hint does not match the signed-in user.');
  if (!tool.redirectUris.includes(redirectUri)) return fail('invalid_request', `Unregistered redirect_uri (${redirectUri})`);
  launch.authorized = true;
  const idToken = await signLaunch(ctx, launch, params.nonce);
  const fields: Record<string, string> = { id_token: idToken, state: launch.override.state ?? params.state ?? '' };
  if (params.state === undefined && launch.override.state === undefined) delete fields.state;
  if (ctx.profile.flavour === 'canvas' && launch.storageTarget) fields.lti_storage_target = launch.storageTarget;
  res.type('html').send(autoSubmitPage(redirectUri, 'POST', fields, 'ltiAuthForm', 'Launching the tool'));
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
