/**
 * The Canvas REST API side of the simulated Canvas: modules with completion requirements,
 * assignments and submissions, personal access tokens, developer API keys with their OAuth2
 * codes and refresh tokens, the per-token rate-limit buckets and the API request log. Module
 * `state` is derived from requirements the way Canvas's ContextModuleProgression evaluates it.
 */

export type RequirementType = 'must_view' | 'must_submit' | 'must_contribute' | 'min_score' | 'must_mark_done';
export type ModuleItemType = 'Assignment' | 'Quiz' | 'Page' | 'Discussion' | 'File' | 'ExternalUrl' | 'ExternalTool' | 'SubHeader';
export type ModuleState = 'locked' | 'unlocked' | 'started' | 'completed';
/** API areas a token may be denied (scopes) or a user may lack permission for. */
export type CanvasArea = 'modules' | 'assignments' | 'users' | 'submissions';

export interface CanvasModuleItem {
  readonly id: string;
  readonly moduleId: string;
  readonly title: string;
  readonly type: ModuleItemType;
  /** The assignment / quiz / page behind the item (assignments: the assignment id, so scores can meet min_score). */
  readonly contentId: string | undefined;
  readonly requirement: { readonly type: RequirementType; readonly minScore?: number | undefined } | undefined;
}

export interface CanvasModule {
  readonly id: string;
  readonly courseId: string;
  readonly name: string;
  readonly position: number;
  /** Canvas: undefined = every requirement must be met; 1 = any one. */
  readonly requirementCount: 1 | undefined;
  readonly prerequisiteModuleIds: readonly string[];
  readonly items: CanvasModuleItem[];
}

export interface CanvasAssignment {
  readonly id: string;
  readonly courseId: string;
  readonly name: string;
  readonly pointsPossible: number;
}

export interface CanvasSubmission {
  readonly id: string;
  score: number | null;
  excused: boolean;
  submittedAt: string | null;
  gradedAt: string | null;
}

export interface CanvasAccessToken {
  readonly token: string;
  readonly userId: string;
  /** url:GET|/api/v1/… scopes when scopes are enforced; undefined = unscoped. */
  readonly scopes: readonly string[] | undefined;
  /** Milliseconds; undefined = never expires (personal tokens without an expiry). */
  readonly expiresAt: number | undefined;
  readonly developerKeyId: string | undefined;
  revoked: boolean;
}

export interface CanvasDeveloperKey {
  readonly clientId: string;
  readonly secret: string;
  readonly redirectUris: readonly string[];
  /** Enforced scopes; undefined = the key does not enforce scopes. */
  readonly scopes: readonly string[] | undefined;
}

export interface CanvasGrant {
  readonly clientId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[] | undefined;
  readonly expiresAt: number;
}

export interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly scopes: readonly string[] | undefined;
  readonly userId: string;
}

export interface ThrottleSettings {
  /** Canvas's high-water mark (bucket size). */
  capacity: number;
  /** Units that drain per second. */
  leakPerSecond: number;
  /**
   * Cost of each request (Canvas: its CPU + DB time). Canvas's pre-flight penalty for parallel
   * requests is not modelled: the simulator answers each request synchronously, so none overlap.
   */
  requestCost: number;
}

export interface ApiLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly userId: string | undefined;
  /** X-Rate-Limit-Remaining the request was answered with. */
  readonly remaining: number | undefined;
  /** The simulator clock when the request arrived (ms). */
  readonly at: number;
}

export class CanvasState {
  readonly modules = new Map<string, CanvasModule>();
  readonly assignments = new Map<string, CanvasAssignment>();
  /** assignmentId → userId → submission */
  readonly submissions = new Map<string, Map<string, CanvasSubmission>>();
  /** moduleItemId → userId → when the requirement was met (ms) */
  readonly requirementsMet = new Map<string, Map<string, number>>();
  readonly tokens = new Map<string, CanvasAccessToken>();
  readonly developerKeys = new Map<string, CanvasDeveloperKey>();
  readonly codes = new Map<string, CanvasGrant>();
  /** refresh token → its grant and the access token currently issued on it (Canvas keeps both on one record). */
  readonly refreshTokens = new Map<string, { readonly clientId: string; readonly userId: string; readonly scopes: readonly string[] | undefined; accessToken: string }>();
  readonly pendingAuthorizations = new Map<string, PendingAuthorization>();
  /** Users who administer the account: they read every course. */
  readonly accountAdmins = new Set<string>();
  /** userId → areas the user's role lacks permission for (everywhere). */
  readonly deniedAreas = new Map<string, Set<CanvasArea>>();
  readonly throttle: ThrottleSettings = { capacity: 600, leakPerSecond: 10, requestCost: 0.01 };
  /** token → { level, at (ms) } */
  readonly buckets = new Map<string, { level: number; at: number }>();
  readonly log: ApiLogEntry[] = [];
  /** The user signed in to Canvas in the admin's browser: who approves OAuth2 requests. */
  signedIn: string | undefined;
  autoApprove = false;
  failNext = 0;
  submissionSequence = 1;
}

/** Canvas answers numeric ids as JSON numbers. */
export function canvasId(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

export function modulesOf(canvas: CanvasState, courseId: string): CanvasModule[] {
  return [...canvas.modules.values()].filter((m) => m.courseId === courseId).sort((a, b) => a.position - b.position);
}

/** Whether the user met the item's requirement, and when (ms). */
export function requirementMetAt(canvas: CanvasState, item: CanvasModuleItem, userId: string): number | undefined {
  return canvas.requirementsMet.get(item.id)?.get(userId);
}

/**
 * Canvas's progression: locked while a prerequisite module is not completed; completed when every
 * requirement (requirement_count 1: any one) is met, or when the module has none; started when some
 * requirement is met; otherwise unlocked. completed_at is when the deciding requirement was met.
 */
export function moduleProgress(canvas: CanvasState, module: CanvasModule, userId: string, seen = new Set<string>()): { state: ModuleState; completedAt: number | undefined } {
  seen.add(module.id);
  for (const prerequisiteId of module.prerequisiteModuleIds) {
    const prerequisite = canvas.modules.get(prerequisiteId);
    if (prerequisite && !seen.has(prerequisiteId) && moduleProgress(canvas, prerequisite, userId, seen).state !== 'completed') return { state: 'locked', completedAt: undefined };
  }
  const times = module.items.filter((item) => item.requirement).map((item) => requirementMetAt(canvas, item, userId));
  if (times.length === 0) return { state: 'completed', completedAt: undefined };
  const met = times.filter((t): t is number => t !== undefined);
  if (module.requirementCount === 1 ? met.length > 0 : met.length === times.length) {
    return { state: 'completed', completedAt: module.requirementCount === 1 ? Math.min(...met) : Math.max(...met) };
  }
  return { state: met.length > 0 ? 'started' : 'unlocked', completedAt: undefined };
}
