/**
 * LTI Deep Linking 2.0 §4.5 — the platform half of the LtiDeepLinkingResponse: the tool's form
 * post (field `JWT`) to deep_link_return_url, verified against the tool's JWKS (iss = client_id,
 * aud = platform issuer, exp/iat, nonce once, deployment_id, message_type, version, data echoed),
 * then each ltiResourceLink content item becomes an activity with its line item (§3.4.3
 * `lineItem`) and custom parameters — as Moodle does once the teacher saves the prefilled form
 * (simulated as saved at once) and as Canvas does for assignment_selection (one item).
 */
import express from 'express';
import { BrowserError, type BrowserPage } from './browser.ts';
import { messagePage, type SimContext } from './context.ts';
import { SimError, type DeepLinkReceipt, type SimActivity } from './model.ts';
import { addActivity } from './people-and-courses.ts';
import { verifyToolJwt } from './tool-jwt.ts';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

export interface DeepLinkSubmission {
  readonly page: BrowserPage;
  readonly receipt: DeepLinkReceipt;
}

function returnPath(ctx: SimContext): string {
  return ctx.profile.flavour === 'moodle' ? '/mod/lti/contentitem_return.php' : '/courses/:courseId/deep_linking_response';
}

function sessionKeyOf(ctx: SimContext, url: URL): string | undefined {
  return url.searchParams.get(ctx.profile.flavour === 'moodle' ? 'sesskey' : 'launch') ?? undefined;
}

export function deepLinkRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  router.post(returnPath(ctx), express.urlencoded({ extended: false, limit: '256kb' }), async (req, res) => {
    const key = sessionKeyOf(ctx, new URL(req.originalUrl, ctx.baseUrl()));
    const receipt = await receive(ctx, key, (req.body ?? {}) as Record<string, unknown>);
    ctx.state.deepLinks.push(receipt);
    if (!receipt.ok) {
      res.status(400).type('html').send(messagePage('The content could not be added', receipt.error ?? 'Refused.', { 'data-deep-link': 'refused', 'data-error': receipt.error ?? '' }));
      return;
    }
    res.type('html').send(messagePage('Content added', `${receipt.activities.length} item(s) added to the course.`, { 'data-deep-link': 'ok' }));
  });
  return router;
}

async function receive(ctx: SimContext, key: string | undefined, body: Record<string, unknown>): Promise<DeepLinkReceipt> {
  const session = key ? ctx.state.deepLinkSessions.get(key) : undefined;
  const refuse = (error: string, claims?: Record<string, unknown>): DeepLinkReceipt => ({
    sessionKey: key,
    clientId: session?.clientId,
    courseId: session?.courseId,
    ok: false,
    error,
    claims,
    contentItems: [],
    activities: [],
  });
  if (!session) return refuse('This deep-linking session is unknown or over.');
  if (typeof body.JWT !== 'string' || body.JWT === '') return refuse('The form field JWT is missing.');
  const tool = ctx.state.tools.get(session.clientId);
  if (!tool) return refuse('The tool was removed.');
  const verified = await verifyToolJwt(body.JWT, { jwksUrl: tool.jwksUrl, issuer: tool.clientId, audience: ctx.issuer(), now: ctx.now() });
  if (!verified.ok) return refuse(`The response JWT was refused: ${verified.reason}`);
  const claims = verified.payload as Record<string, unknown>;
  if (claims[`${LTI}/message_type`] !== 'LtiDeepLinkingResponse') return refuse('message_type is not LtiDeepLinkingResponse.', claims);
  if (claims[`${LTI}/version`] !== '1.3.0') return refuse('version is not 1.3.0.', claims);
  if (claims[`${LTI}/deployment_id`] !== tool.deploymentId) return refuse(`deployment_id is not ${tool.deploymentId}.`, claims);
  if (typeof claims.nonce !== 'string' || claims.nonce === '') return refuse('nonce is missing.', claims);
  if (ctx.state.usedDeepLinkNonces.has(`${tool.clientId}|${claims.nonce}`)) return refuse('nonce was already used.', claims);
  if (claims[`${DL}/data`] !== session.data) return refuse('data does not echo the value sent in deep_linking_settings.', claims);
  const items = claims[`${DL}/content_items`] ?? [];
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'object' && item !== null)) return refuse('content_items must be a list of objects.', claims);
  if (ctx.profile.flavour === 'canvas' && items.length > 1) return refuse('This placement accepts one content item (accept_multiple is false).', claims);
  const links = items as Record<string, unknown>[];
  for (const item of links) {
    const problem = checkItem(item);
    if (problem) return refuse(problem, claims);
  }
  ctx.state.usedDeepLinkNonces.add(`${tool.clientId}|${claims.nonce}`);
  const activities: SimActivity[] = links
    .filter((item) => item.type === 'ltiResourceLink')
    .map((item) => {
      const lineItem = item.lineItem as Record<string, unknown> | undefined;
      return addActivity(ctx.state, ctx.profile.flavour, session.courseId, {
        title: typeof item.title === 'string' && item.title !== '' ? item.title : 'Untitled',
        clientId: tool.clientId,
        custom: (item.custom as Record<string, string> | undefined) ?? {},
        ...(typeof item.url === 'string' ? { url: item.url } : {}),
        ...(lineItem
          ? {
              lineItem: {
                scoreMaximum: lineItem.scoreMaximum as number,
                label: typeof lineItem.label === 'string' ? lineItem.label : String(item.title ?? 'Untitled'),
                ...(typeof lineItem.resourceId === 'string' ? { resourceId: lineItem.resourceId } : {}),
                ...(typeof lineItem.tag === 'string' ? { tag: lineItem.tag } : {}),
              },
            }
          : {}),
      });
    });
  return { sessionKey: key, clientId: tool.clientId, courseId: session.courseId, ok: true, error: undefined, claims, contentItems: links, activities };
}

function checkItem(item: Record<string, unknown>): string | undefined {
  if (typeof item.type !== 'string') return 'A content item has no type.';
  if (item.type !== 'ltiResourceLink') return `Content items of type ${item.type} are not accepted here (accept_types is ltiResourceLink).`;
  if (item.url !== undefined && (typeof item.url !== 'string' || !/^https?:\/\//.test(item.url))) return 'A content item url must be an http(s) URL.';
  if (item.custom !== undefined) {
    if (typeof item.custom !== 'object' || item.custom === null || Array.isArray(item.custom)) return 'custom must be an object.';
    for (const [name, value] of Object.entries(item.custom)) if (typeof value !== 'string') return `custom parameter ${name} must be a string.`;
  }
  if (item.lineItem !== undefined) {
    const li = item.lineItem as Record<string, unknown>;
    if (typeof li !== 'object' || li === null) return 'lineItem must be an object.';
    if (typeof li.scoreMaximum !== 'number' || !(li.scoreMaximum > 0)) return 'lineItem.scoreMaximum must be a number above 0.';
    if (li.label !== undefined && typeof li.label !== 'string') return 'lineItem.label must be a string.';
  }
  return undefined;
}

/**
 * Send a deep-linking response the tool put on `page` (a form posting to the return URL), or, when
 * the browser already followed the tool's auto-submitting form, return what the platform recorded.
 */
export async function submitDeepLink(ctx: SimContext, page: BrowserPage, fields: Record<string, string> = {}): Promise<DeepLinkSubmission> {
  const isReturnUrl = (href: string) => {
    const url = new URL(href);
    if (url.origin !== ctx.baseUrl()) return false;
    return ctx.profile.flavour === 'moodle' ? url.pathname === '/mod/lti/contentitem_return.php' : /^\/courses\/[^/]+\/deep_linking_response$/.test(url.pathname);
  };
  let result = page;
  if (!isReturnUrl(page.url)) {
    const form = page.forms.find((f) => isReturnUrl(f.action) && f.method === 'POST');
    if (!form) throw new SimError('SIM_NO_DEEP_LINK_FORM', `The page at ${page.url} (HTTP ${page.status}) has no form posting to the deep_link_return_url.`);
    try {
      result = await page.browser.submit(page, (f) => f === form, fields);
    } catch (error) {
      if (error instanceof BrowserError) throw new SimError('SIM_DEEP_LINK_SUBMIT', error.message);
      throw error;
    }
  }
  const key = sessionKeyOf(ctx, new URL(result.url));
  const receipt = [...ctx.state.deepLinks].reverse().find((r) => r.sessionKey === key);
  if (!receipt) throw new SimError('SIM_NO_DEEP_LINK_RECEIPT', `No deep-linking response reached the platform (last page ${result.url}, HTTP ${result.status}).`);
  return { page: result, receipt };
}
