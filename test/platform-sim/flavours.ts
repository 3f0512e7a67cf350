/**
 * What differs between the two simulated platforms: endpoint paths, identifiers, role URIs,
 * token lifetimes and service quirks. Moodle from ../shared/notes/moodle-lti.md (observed on
 * Moodle 4.5.6); Canvas from Instructure's public documentation and canvas-lms source
 * (doc/api/lti_dev_key_config.md, Lti::IMS controllers) and launches recorded by public projects.
 */
import { createHash } from 'node:crypto';
import type { CourseRole, Flavour, SimCourse, SimTool } from './model.ts';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
export const AGS_SCOPES = {
  lineitem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineitemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;
export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

export interface FlavourProfile {
  readonly flavour: Flavour;
  /** The `iss` of every id_token and the `aud` tools must use in Deep Linking responses. */
  issuer(baseUrl: string): string;
  readonly paths: {
    readonly openidConfiguration: string;
    readonly registration: string;
    readonly authorize: string;
    readonly jwks: string;
    readonly token: string;
  };
  launchPageUrl(baseUrl: string, course: SimCourse, key: string): string;
  lineItemsUrl(baseUrl: string, courseId: string, tool: SimTool): string;
  lineItemUrl(baseUrl: string, courseId: string, itemId: string, tool: SimTool): string;
  resultId(baseUrl: string, courseId: string, itemId: string, tool: SimTool, userId: string): string;
  membershipsUrl(baseUrl: string, courseId: string, tool: SimTool): string;
  deepLinkReturnUrl(baseUrl: string, courseId: string, tool: SimTool, key: string): string;
  /** Seconds between iat and exp of id_tokens. */
  readonly idTokenLifetimeSeconds: number;
  readonly accessTokenLifetimeSeconds: number;
  /** `shard` tells simulator instances apart, so two simulated Canvas customers never share a client_id. */
  newClientId(sequence: number, shard: number): string;
  newDeploymentId(sequence: number, shard: number): string;
  /** Status of a dynamically registered tool before an admin acts. */
  readonly registeredStatus: 'pending' | 'active';
  readonly scopesSupported: readonly string[];
  readonly claimsSupported: readonly string[];
  launchRoles(role: CourseRole): string[];
  membershipRoles(role: CourseRole): string[];
  readonly contextType: readonly string[];
  readonly sessionCookie: string;
  /** How AGS answers a score for someone who is not a gradable student. */
  readonly notGradable: { readonly status: number; readonly body: unknown };
  /** Default `lti_storage_target` when a launch asks for platform storage. */
  readonly storageTarget: string;
}

const moodle: FlavourProfile = {
  flavour: 'moodle',
  issuer: (baseUrl) => baseUrl,
  paths: {
    openidConfiguration: '/mod/lti/openid-configuration.php',
    registration: '/mod/lti/openid-registration.php',
    authorize: '/mod/lti/auth.php',
    jwks: '/mod/lti/certs.php',
    token: '/mod/lti/token.php',
  },
  launchPageUrl: (baseUrl, _course, key) => `${baseUrl}/mod/lti/launch.php?id=${encodeURIComponent(key)}`,
  lineItemsUrl: (baseUrl, courseId, tool) => `${baseUrl}/mod/lti/services.php/${courseId}/lineitems?type_id=${tool.typeId}`,
  lineItemUrl: (baseUrl, courseId, itemId, tool) => `${baseUrl}/mod/lti/services.php/${courseId}/lineitems/${itemId}/lineitem?type_id=${tool.typeId}`,
  resultId: (baseUrl, courseId, itemId, tool, userId) =>
    `${baseUrl}/mod/lti/services.php/${courseId}/lineitems/${itemId}/lineitem/results?type_id=${tool.typeId}&user_id=${encodeURIComponent(userId)}`,
  membershipsUrl: (baseUrl, courseId, tool) => `${baseUrl}/mod/lti/services.php/CourseSection/${courseId}/bindings/${tool.typeId}/memberships`,
  deepLinkReturnUrl: (baseUrl, courseId, tool, key) => `${baseUrl}/mod/lti/contentitem_return.php?course=${courseId}&id=${tool.typeId}&sesskey=${encodeURIComponent(key)}`,
  idTokenLifetimeSeconds: 60,
  accessTokenLifetimeSeconds: 3600,
  // Moodle generates a random 15-character client id.
  newClientId: () => randomAlnum(15),
  newDeploymentId: (sequence) => String(sequence),
  registeredStatus: 'pending',
  scopesSupported: [
    'https://purl.imsglobal.org/spec/lti-bo/scope/basicoutcome',
    AGS_SCOPES.lineitem,
    AGS_SCOPES.lineitemReadonly,
    AGS_SCOPES.resultReadonly,
    AGS_SCOPES.score,
    NRPS_SCOPE,
    'https://purl.imsglobal.org/spec/lti-ts/scope/toolsetting',
    'openid',
  ],
  claimsSupported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
  launchRoles: (role) =>
    role === 'Learner'
      ? [`${LIS}/membership#Learner`]
      : role === 'Instructor'
        ? [`${LIS}/membership#Instructor`]
        : [`${LIS}/institution/person#Administrator`, `${LIS}/membership#Instructor`, `${LIS}/system/person#Administrator`],
  membershipRoles: (role) => [`${LIS}/membership#${role}`],
  contextType: ['CourseSection'],
  sessionCookie: 'MoodleSession',
  notGradable: { status: 400, body: { status: 400, reason: 'Incorrect score received' } },
  storageTarget: '_parent',
};

const canvas: FlavourProfile = {
  flavour: 'canvas',
  // Every Instructure-hosted Canvas uses this one issuer; the endpoints stay on the simulator.
  issuer: () => 'https://canvas.instructure.com',
  paths: {
    openidConfiguration: '/api/lti/security/openid-configuration',
    registration: '/api/lti/registrations',
    authorize: '/api/lti/authorize_redirect',
    jwks: '/api/lti/security/jwks',
    token: '/login/oauth2/token',
  },
  launchPageUrl: (baseUrl, course, key) => `${baseUrl}/courses/${course.id}/external_tools/retrieve?launch=${encodeURIComponent(key)}`,
  lineItemsUrl: (baseUrl, courseId) => `${baseUrl}/api/lti/courses/${courseId}/line_items`,
  lineItemUrl: (baseUrl, courseId, itemId) => `${baseUrl}/api/lti/courses/${courseId}/line_items/${itemId}`,
  resultId: (baseUrl, courseId, itemId, _tool, userId) => `${baseUrl}/api/lti/courses/${courseId}/line_items/${itemId}/results/${encodeURIComponent(userId)}`,
  membershipsUrl: (baseUrl, courseId) => `${baseUrl}/api/lti/courses/${courseId}/names_and_roles`,
  deepLinkReturnUrl: (baseUrl, courseId, _tool, key) => `${baseUrl}/courses/${courseId}/deep_linking_response?modal=true&launch=${encodeURIComponent(key)}`,
  idTokenLifetimeSeconds: 3600,
  accessTokenLifetimeSeconds: 3600,
  // Canvas developer key ids are global ids: shard × 10^13 + local id, a long numeric string.
  newClientId: (sequence, shard) => String(BigInt(shard) * 10n ** 13n + BigInt(1000 + sequence)),
  newDeploymentId: (sequence, shard) => `${sequence}:${hexOf(`deployment-${shard}-${sequence}`)}`,
  registeredStatus: 'active',
  scopesSupported: [
    AGS_SCOPES.lineitem,
    AGS_SCOPES.lineitemReadonly,
    AGS_SCOPES.resultReadonly,
    AGS_SCOPES.score,
    NRPS_SCOPE,
    'https://canvas.instructure.com/lti-ags/progress/scope/show',
    'https://canvas.instructure.com/lti/public_jwk/scope/update',
    'openid',
  ],
  claimsSupported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'nickname', 'picture', 'email', 'locale'],
  launchRoles: (role) =>
    role === 'Learner'
      ? [`${LIS}/institution/person#Student`, `${LIS}/membership#Learner`, `${LIS}/system/person#User`]
      : role === 'Instructor'
        ? [`${LIS}/institution/person#Instructor`, `${LIS}/membership#Instructor`, `${LIS}/system/person#User`]
        : [`${LIS}/institution/person#Administrator`, `${LIS}/system/person#SysAdmin`, `${LIS}/system/person#User`],
  membershipRoles: (role) => [`${LIS}/membership#${role}`],
  contextType: [`${LIS}/course#CourseOffering`],
  sessionCookie: 'canvas_session',
  // Lti::IMS::ScoresController#verify_user_in_context (canvas-lms): 422, not 404.
  notGradable: { status: 422, body: { errors: { type: 'unprocessable_entity', message: 'User not found in course or is not a student' } } },
  storageTarget: 'post_message_forwarding',
};

export function flavourProfile(flavour: Flavour): FlavourProfile {
  return flavour === 'moodle' ? moodle : canvas;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => ALNUM[b % ALNUM.length]).join('');
}

export function randomToken(bytes = 24): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');
}

/** A stable 40-hex identifier (SHA-1), the shape of Canvas's opaque context and LTI 1.1 user ids. */
export function hexOf(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/** A stable UUID-shaped identifier (Canvas's user lti_id, resource link ids). */
export function uuidOf(seed: string): string {
  const h = hexOf(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
