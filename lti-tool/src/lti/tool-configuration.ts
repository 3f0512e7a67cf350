/**
 * What the tool tells platforms about itself: its URLs, the LTI Dynamic Registration 1.0 §3.4
 * client registration request (with the `lti-tool-configuration` object), and Canvas's developer
 * key JSON configuration (Canvas docs, "Anatomy of a JSON configuration").
 */
import { SCOPES } from './claims.ts';
import { LTI_JWKS_PATH } from './tool-keys.ts';

export interface ToolUrls {
  readonly origin: string;
  readonly login: string;
  readonly launch: string;
  readonly jwks: string;
  readonly register: string;
  readonly canvasConfig: string;
  readonly admin: string;
}

export function toolUrls(publicUrl: string): ToolUrls {
  return {
    origin: new URL(publicUrl).origin,
    login: `${publicUrl}/lti/login`,
    launch: `${publicUrl}/lti/launch`,
    jwks: `${publicUrl}${LTI_JWKS_PATH}`,
    register: `${publicUrl}/lti/register`,
    canvasConfig: `${publicUrl}/lti/canvas.json`,
    admin: `${publicUrl}/admin`,
  };
}

export const TOOL_SCOPES = [SCOPES.lineItem, SCOPES.lineItemReadOnly, SCOPES.resultReadOnly, SCOPES.score, SCOPES.membershipReadOnly] as const;
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const DESCRIPTION = 'Issue EU micro-credentials (Open Badges 3.0) to learners who complete course activities.';

/** Dynamic Registration 1.0 §3.4.1: the body POSTed to the platform's registration endpoint. */
/**
 * Canvas ids the LMS watcher maps launches by (issue 7): LTI `sub` and context id are opaque in
 * Canvas. Sent in both the developer key JSON and Dynamic Registration (custom_parameters, LTI DR
 * §3.5.2), since a Canvas admin may use either; other LMSs leave the unknown variables unexpanded,
 * and lms-identity.ts ignores values still starting with "$".
 */
const CANVAS_CUSTOM_FIELDS = { canvas_user_id: '$Canvas.user.id', canvas_course_id: '$Canvas.course.id' } as const;

export function registrationRequest(publicUrl: string, toolName: string): Record<string, unknown> {
  const urls = toolUrls(publicUrl);
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: toolName,
    jwks_uri: urls.jwks,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: TOOL_SCOPES.join(' '),
    [TOOL_CONFIGURATION]: {
      domain: new URL(publicUrl).host,
      description: DESCRIPTION,
      target_link_uri: urls.launch,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      custom_parameters: CANVAS_CUSTOM_FIELDS,
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: urls.launch, label: toolName },
        { type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, label: toolName, placements: ['ContentArea'], supported_types: ['ltiResourceLink'] },
      ],
    },
  };
}

/** Canvas developer key JSON: pasted or fetched by URL in Canvas → Developer Keys → LTI Key. */
export function canvasConfiguration(publicUrl: string, toolName: string): Record<string, unknown> {
  const urls = toolUrls(publicUrl);
  const host = new URL(publicUrl).host;
  return {
    title: toolName,
    description: DESCRIPTION,
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.jwks,
    scopes: [...TOOL_SCOPES],
    custom_fields: CANVAS_CUSTOM_FIELDS,
    extensions: [
      {
        domain: host,
        tool_id: 'microcred',
        platform: 'canvas.instructure.com',
        privacy_level: 'public',
        settings: {
          text: toolName,
          placements: [
            { placement: 'assignment_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, text: toolName },
            { placement: 'link_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, text: toolName },
            { placement: 'course_navigation', message_type: 'LtiResourceLinkRequest', target_link_uri: urls.launch, text: toolName, default: 'disabled' },
          ],
        },
      },
    ],
  };
}
