/**
 * The simulated LMS's data: tools (registrations and deployments), courses, people, enrolments,
 * activities (LTI resource links), AGS line items with their results, access tokens, pending
 * launches and deep-link sessions. Plain in-memory maps; the HTTP routes and the admin API share it.
 */

export type Flavour = 'moodle' | 'canvas';
export type CourseRole = 'Learner' | 'Instructor' | 'Administrator';

export interface SimTool {
  readonly clientId: string;
  readonly deploymentId: string;
  /** Moodle's tool type id (the deployment id); Canvas's developer key sequence. */
  readonly typeId: string;
  status: 'pending' | 'active';
  readonly name: string;
  readonly loginUrl: string;
  readonly redirectUris: readonly string[];
  readonly jwksUrl: string;
  readonly targetLinkUri: string;
  readonly deepLinkUrl: string | undefined;
  /** Scopes the platform permits this tool (the token endpoint grants their intersection with the request). */
  readonly scopes: readonly string[];
  /** Identity claims the tool receives (name, given_name, family_name, email). */
  readonly claims: readonly string[];
  readonly customParameters: Readonly<Record<string, string>>;
  /** The registration request as received (dynamic registration) or built (manual). */
  readonly toolConfiguration: Record<string, unknown>;
}

export interface SimCourse {
  readonly id: string;
  readonly title: string;
  readonly label: string;
  /** The LTI context id: Moodle sends the course id; Canvas an opaque 40-hex id. */
  readonly contextId: string;
}

export interface SimUser {
  readonly id: string;
  readonly name: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly username: string;
  /** Canvas's `sub` (the user's lti_id, a UUID); Moodle uses the id. */
  readonly ltiId: string;
  /** Canvas's LTI 1.1 user id (40 hex), also its login_hint. */
  readonly legacyId: string;
}

export interface SimActivity {
  readonly id: string;
  readonly courseId: string;
  readonly title: string;
  readonly clientId: string;
  readonly custom: Readonly<Record<string, string>>;
  /** The resource link id sent in launches. */
  readonly resourceLinkId: string;
  readonly lineItemId: string | undefined;
  readonly legacyResourceKey: string | undefined;
  /** Set when the activity was created from a deep-linking response. */
  readonly url: string | undefined;
}

export interface SimResult {
  readonly userId: string;
  scoreGiven: number | undefined;
  scoreMaximum: number | undefined;
  /** Normalised to the line item's scoreMaximum, as Moodle and Canvas report it. */
  resultScore: number | undefined;
  comment: string | undefined;
  timestamp: string;
  activityProgress: string;
  gradingProgress: string;
  /** Who wrote it last: the tool through AGS, or a teacher in the gradebook. */
  source: 'tool' | 'teacher';
}

export interface SimLineItem {
  readonly id: string;
  readonly courseId: string;
  readonly clientId: string;
  label: string;
  scoreMaximum: number;
  resourceId: string | undefined;
  tag: string | undefined;
  resourceLinkId: string | undefined;
  startDateTime: string | undefined;
  endDateTime: string | undefined;
  readonly results: Map<string, SimResult>;
}

export interface AccessToken {
  readonly token: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Milliseconds. */
  readonly expiresAt: number;
}

export interface PendingLaunch {
  readonly key: string;
  readonly messageHint: string;
  readonly loginHint: string;
  readonly clientId: string;
  readonly userId: string;
  readonly courseId: string;
  readonly activityId: string | undefined;
  readonly messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  readonly storageTarget: string | undefined;
  readonly override: LaunchOverride;
  /** The platform session the launch belongs to (the session cookie's value). */
  sessionId: string | undefined;
  authorized: boolean;
}

export interface LaunchOverride {
  readonly claims?: Record<string, unknown>;
  readonly removeClaims?: readonly string[];
  readonly header?: Record<string, unknown>;
  readonly signWith?: 'platform' | 'other-rsa' | 'none' | 'hs256-with-public-key' | 'no-kid' | 'unknown-kid';
  readonly lifetimeSeconds?: number;
  readonly iatOffsetSeconds?: number;
  readonly state?: string;
  readonly nonce?: string;
  readonly aud?: string | readonly string[];
  readonly azp?: string;
}

export interface DeepLinkSession {
  readonly key: string;
  readonly clientId: string;
  readonly courseId: string;
  readonly userId: string;
  readonly data: string;
  readonly returnUrl: string;
}

export interface DeepLinkReceipt {
  /** The deep-linking launch this response answered (undefined when the return URL named none). */
  readonly sessionKey: string | undefined;
  readonly clientId: string | undefined;
  readonly courseId: string | undefined;
  readonly ok: boolean;
  /** Why the platform refused the response, when it did. */
  readonly error: string | undefined;
  readonly claims: Record<string, unknown> | undefined;
  readonly contentItems: readonly Record<string, unknown>[];
  readonly activities: readonly SimActivity[];
}

export class SimState {
  readonly tools = new Map<string, SimTool>();
  readonly courses = new Map<string, SimCourse>();
  readonly users = new Map<string, SimUser>();
  /** courseId → userId → role */
  readonly enrolments = new Map<string, Map<string, CourseRole>>();
  readonly activities = new Map<string, SimActivity>();
  readonly lineItems = new Map<string, SimLineItem>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly tokensIssued: { clientId: string; scopes: string[] }[] = [];
  readonly launches = new Map<string, PendingLaunch>();
  /** lti_message_hint → launch key */
  readonly launchByHint = new Map<string, string>();
  readonly deepLinkSessions = new Map<string, DeepLinkSession>();
  readonly deepLinks: DeepLinkReceipt[] = [];
  /** Every form the authorization endpoint posted to a tool (id_token or error), for replay tests. */
  readonly authorizationResponses: { redirectUri: string; fields: Record<string, string> }[] = [];
  readonly usedAssertionIds = new Set<string>();
  readonly usedDeepLinkNonces = new Set<string>();
  readonly usedRegistrationTokens = new Set<string>();
  /** Tells simulator instances of one process apart (Canvas global ids). */
  readonly shard = nextShard();
  #sequence = 1;

  next(): number {
    return this.#sequence++;
  }

  roleOf(courseId: string, userId: string): CourseRole | undefined {
    return this.enrolments.get(courseId)?.get(userId);
  }
}

let shards = Math.floor(Math.random() * 90);

function nextShard(): number {
  shards = (shards + 1) % 90;
  return 10 + shards;
}

export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}
