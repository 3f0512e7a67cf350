/**
 * LTI 1.3 Core §5.3–§5.4 message claims as each platform fills them: identity, roles, context,
 * resource link, launch presentation, tool platform, custom (with variable substitution, §5.4.7 /
 * Canvas expansions), ext and LIS claims, and the service claims (AGS 2.0 §3.1 endpoint claim,
 * NRPS 2.0 §3.6.1 claim, Deep Linking 2.0 §4.4 settings). Signing happens in id-token.ts.
 */
import { AGS_SCOPES, NRPS_SCOPE, type FlavourProfile } from './flavours.ts';
import type { DeepLinkSession, SimActivity, SimCourse, SimState, SimTool, SimUser } from './model.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

export interface ClaimInput {
  readonly profile: FlavourProfile;
  readonly state: SimState;
  readonly baseUrl: string;
  readonly tool: SimTool;
  readonly user: SimUser;
  readonly course: SimCourse;
  readonly activity: SimActivity | undefined;
  readonly messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  readonly deepLink: DeepLinkSession | undefined;
  readonly nonce: string;
  /** Seconds. */
  readonly iat: number;
}

export function buildLaunchClaims(input: ClaimInput): Record<string, unknown> {
  const { profile, state, baseUrl, tool, user, course, activity, messageType } = input;
  const role = state.roleOf(course.id, user.id) ?? 'Learner';
  const canvas = profile.flavour === 'canvas';
  const claims: Record<string, unknown> = {
    iss: profile.issuer(baseUrl),
    sub: canvas ? user.ltiId : user.id,
    aud: activity?.legacyResourceKey && !canvas ? activity.legacyResourceKey : tool.clientId,
    iat: input.iat,
    exp: input.iat + profile.idTokenLifetimeSeconds,
    nonce: input.nonce,
    ...(canvas ? { azp: tool.clientId } : {}),
    [`${LTI}/deployment_id`]: tool.deploymentId,
    [`${LTI}/message_type`]: messageType,
    [`${LTI}/version`]: '1.3.0',
    [`${LTI}/target_link_uri`]: messageType === 'LtiDeepLinkingRequest' ? (tool.deepLinkUrl ?? tool.targetLinkUri) : (activity?.url ?? tool.targetLinkUri),
    [`${LTI}/roles`]: profile.launchRoles(role),
    [`${LTI}/context`]: { id: course.contextId, label: course.label, title: course.title, type: [...profile.contextType] },
    [`${LTI}/tool_platform`]: canvas
      ? { guid: 'simulated-canvas-guid:canvas-lms', name: 'Simulated Canvas', version: 'cloud', product_family_code: 'canvas' }
      : { product_family_code: 'moodle', version: '2024100706', guid: new URL(baseUrl).host, name: 'Simulated Moodle', description: 'Simulated Moodle' },
    [`${LTI}/launch_presentation`]: canvas
      ? { document_target: 'iframe', return_url: `${baseUrl}/courses/${course.id}/external_content/success/external_tool_redirect`, locale: 'en' }
      : { locale: 'en', document_target: 'iframe', return_url: `${baseUrl}/mod/lti/return.php?course=${course.id}&launch_container=3&instanceid=${activity?.id ?? ''}` },
    [`${LTI}/custom`]: customClaim(input),
  };
  for (const [claim, value] of Object.entries(identityClaims(tool, user, canvas))) claims[claim] = value;
  if (messageType === 'LtiResourceLinkRequest' && activity) {
    claims[`${LTI}/resource_link`] = { id: activity.resourceLinkId, title: activity.title, description: '' };
  }
  if (messageType === 'LtiDeepLinkingRequest' && input.deepLink) {
    claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = canvas
      ? {
          deep_link_return_url: input.deepLink.returnUrl,
          accept_types: ['ltiResourceLink'],
          accept_presentation_document_targets: ['iframe', 'window'],
          accept_media_types: 'application/vnd.ims.lti.v1.ltilink',
          accept_multiple: false,
          accept_lineitem: true,
          auto_create: false,
          data: input.deepLink.data,
        }
      : {
          accept_types: ['ltiResourceLink'],
          accept_presentation_document_targets: ['frame', 'iframe', 'window'],
          accept_copy_advice: false,
          accept_multiple: true,
          accept_unsigned: false,
          auto_create: false,
          can_confirm: false,
          deep_link_return_url: input.deepLink.returnUrl,
          title: '',
          text: '',
          data: input.deepLink.data,
        };
  }
  const agsScopes = tool.scopes.filter((scope) => (Object.values(AGS_SCOPES) as string[]).includes(scope));
  if (agsScopes.length > 0) {
    const endpoint: Record<string, unknown> = { scope: agsScopes, lineitems: profile.lineItemsUrl(baseUrl, course.id, tool) };
    if (activity?.lineItemId && messageType === 'LtiResourceLinkRequest') endpoint.lineitem = profile.lineItemUrl(baseUrl, course.id, activity.lineItemId, tool);
    claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = endpoint;
  }
  if (tool.scopes.includes(NRPS_SCOPE)) {
    claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] = {
      context_memberships_url: profile.membershipsUrl(baseUrl, course.id, tool),
      service_versions: canvas ? ['2.0'] : ['1.0', '2.0'],
    };
  }
  if (canvas) {
    claims[`${LTI}/lti11_legacy_user_id`] = user.legacyId;
    claims[`${LTI}/lti1p1`] = { user_id: user.legacyId, ...(activity ? { resource_link_id: activity.resourceLinkId.replace(/-/g, '').slice(0, 40) } : {}) };
    claims[`${LTI}/lis`] = { person_sourcedid: '$Person.sourcedId', course_offering_sourcedid: '$CourseSection.sourcedId' };
    claims['https://www.instructure.com/placement'] = messageType === 'LtiDeepLinkingRequest' ? 'assignment_selection' : null;
    claims.locale = 'en';
  } else {
    claims[`${LTI}/lis`] = { person_sourcedid: '', course_section_sourcedid: '' };
    claims[`${LTI}/ext`] = { user_username: user.username, lms: 'moodle-2' };
    // Moodle sends the LTI 1.1 outcome claim whenever the activity takes grades (it has a line item).
    if (activity?.lineItemId && messageType === 'LtiResourceLinkRequest') {
      claims['https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome'] = {
        lis_result_sourcedid: JSON.stringify({ data: { instanceid: activity.id, userid: user.id, typeid: tool.typeId, launchid: input.nonce.slice(0, 8) } }),
        lis_outcome_service_url: `${baseUrl}/mod/lti/service.php`,
      };
    }
  }
  return claims;
}

function identityClaims(tool: SimTool, user: SimUser, canvas: boolean): Record<string, unknown> {
  const shared: Record<string, unknown> = {};
  const offer: Record<string, string> = { name: user.name, given_name: user.givenName, family_name: user.familyName, email: user.email };
  for (const claim of Object.keys(offer)) if (tool.claims.includes(claim)) shared[claim] = offer[claim];
  if (canvas && tool.claims.includes('picture')) shared.picture = `https://canvas.instructure.com/images/messages/avatar-50.png`;
  return shared;
}

/** Custom parameters with substitution variables: known ones expanded, unknown ones sent as written (as both LMSs do). Also NRPS `rlid` messages. */
export function customClaim(input: Pick<ClaimInput, 'tool' | 'activity' | 'user' | 'course' | 'profile' | 'state' | 'baseUrl'>): Record<string, string> {
  const { tool, activity, user, course, profile, state } = input;
  const lineItem = activity?.lineItemId ? state.lineItems.get(activity.lineItemId) : undefined;
  const variables: Record<string, string | undefined> =
    profile.flavour === 'canvas'
      ? {
          '$Canvas.user.id': user.id,
          '$Canvas.user.loginId': user.username,
          '$Canvas.course.id': course.id,
          '$Canvas.assignment.id': activity?.id,
          '$Canvas.assignment.pointsPossible': lineItem ? String(lineItem.scoreMaximum) : undefined,
          '$Person.name.full': user.name,
          '$Person.name.given': user.givenName,
          '$Person.name.family': user.familyName,
          '$Person.email.primary': user.email,
        }
      : {
          '$User.id': user.id,
          '$User.username': user.username,
          '$Context.id': course.id,
          '$CourseSection.title': course.title,
          '$ResourceLink.id': activity?.id,
          '$Person.name.full': user.name,
          '$Person.name.given': user.givenName,
          '$Person.name.family': user.familyName,
          '$Person.email.primary': user.email,
        };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...tool.customParameters, ...(activity?.custom ?? {}) })) {
    out[key] = variables[value] ?? value;
  }
  if (profile.flavour === 'moodle' && tool.scopes.includes(NRPS_SCOPE)) {
    out.context_memberships_url = profile.membershipsUrl(input.baseUrl, course.id, tool);
  }
  return out;
}
