/**
 * LTI Deep Linking 2.0 §4.5 (LtiDeepLinkingResponse) and §3.1 (ltiResourceLink content items with
 * a lineItem and custom parameters): the signed JWT (iss = client_id, aud = platform issuer) that
 * the browser posts as the form field `JWT` to deep_link_return_url.
 */
import { randomBytes } from 'node:crypto';
import type { SessionRecord } from '../store/lti-launch-repository.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { CLAIM, objectClaim, stringClaim } from './claims.ts';
import { LtiError } from './errors.ts';
import type { ToolKeys } from './tool-keys.ts';

export interface ResourceLinkChoice {
  readonly title: string;
  readonly text?: string;
  /** Where the resource link launches; defaults to the tool's target link URI. */
  readonly url?: string;
  readonly lineItem?: { readonly scoreMaximum: number; readonly label: string; readonly resourceId?: string; readonly tag?: string };
  readonly custom?: Readonly<Record<string, string>>;
}

export interface DeepLinkingResponse {
  readonly returnUrl: string;
  readonly jwt: string;
}

const RESPONSE_TTL_S = 300;

export async function buildDeepLinkingResponse(
  session: SessionRecord,
  platform: PlatformRecord,
  items: readonly ResourceLinkChoice[],
  deps: { toolKeys: ToolKeys; now: () => Date; targetLinkUri: string },
): Promise<DeepLinkingResponse> {
  if (session.messageType !== 'LtiDeepLinkingRequest') {
    throw new LtiError('LTI_DEEP_LINK_INVALID', 'This page was not opened to add content to the course.', 'Start again from the LMS’s “add activity” or content selection screen.');
  }
  const settings = objectClaim(session.launch, CLAIM.deepLinkingSettings);
  const returnUrl = stringClaim(settings, 'deep_link_return_url');
  if (!returnUrl) throw new LtiError('LTI_DEEP_LINK_INVALID', 'The LMS did not say where to send the chosen content.');
  const acceptTypes = settings?.accept_types;
  if (Array.isArray(acceptTypes) && !acceptTypes.includes('ltiResourceLink')) {
    throw new LtiError('LTI_DEEP_LINK_INVALID', 'The LMS does not accept activity links here.', `The deep linking request accepts only ${acceptTypes.join(', ')}.`);
  }
  if (settings?.accept_multiple === false && items.length > 1) {
    throw new LtiError('LTI_DEEP_LINK_INVALID', 'The LMS accepts only one item here; choose one.');
  }
  const iat = Math.floor(deps.now().getTime() / 1000);
  const payload: Record<string, unknown> = {
    iss: platform.clientId,
    aud: platform.issuer,
    iat,
    exp: iat + RESPONSE_TTL_S,
    nonce: randomBytes(16).toString('base64url'),
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: session.deploymentId,
    [CLAIM.contentItems]: items.map((item) => contentItem(item, deps.targetLinkUri)),
  };
  // §4.5.1: data must be echoed unchanged when the request carried it.
  if (settings?.data !== undefined) payload[CLAIM.data] = settings.data;
  return { returnUrl, jwt: await deps.toolKeys.sign(payload) };
}

function contentItem(item: ResourceLinkChoice, targetLinkUri: string): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'ltiResourceLink', title: item.title, url: item.url ?? targetLinkUri };
  if (item.text) out.text = item.text;
  if (item.lineItem) {
    const { scoreMaximum, label, resourceId, tag } = item.lineItem;
    out.lineItem = { scoreMaximum, label, ...(resourceId ? { resourceId } : {}), ...(tag ? { tag } : {}) };
  }
  if (item.custom && Object.keys(item.custom).length > 0) out.custom = item.custom;
  return out;
}
