/**
 * LTI identities ↔ LMS REST API identities (issue 7). Moodle: LTI `sub` is the Moodle user id and
 * the context id is the course id. Canvas: `sub` is the user's lti_id and the context id is opaque,
 * so the tool's Canvas configuration adds the custom fields canvas_user_id=$Canvas.user.id and
 * canvas_course_id=$Canvas.course.id (LTI 1.3 Core §5.4.1 custom claim); every launch that carries
 * them records a (platform, Canvas user id) → sub link the watcher uses.
 */
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import type { Store } from '../store/open-store.ts';
import type { LmsKind } from './lms-source.ts';

type Claims = Readonly<Record<string, unknown>>;

const CANVAS_ISSUER = 'https://canvas.instructure.com';
const MAX_ID_LENGTH = 64;

/** Which LMS a platform is, from its issuer and a launch's tool_platform claim (LTI 1.3 Core §5.4.2); undefined when neither says. */
export function lmsKindOf(issuer: string | undefined, launchClaims: Claims = {}): LmsKind | undefined {
  const family = stringClaim(objectClaim(launchClaims, CLAIM.toolPlatform), 'product_family_code')?.toLowerCase();
  if (family === 'canvas' || issuer === CANVAS_ISSUER) return 'canvas';
  if (family === 'moodle') return 'moodle';
  return undefined;
}

/** The LMS's own id of the launch's course: Moodle context.id, Canvas custom canvas_course_id. */
export function lmsCourseIdOf(kind: LmsKind, launchClaims: Claims): string | undefined {
  return kind === 'moodle' ? usableId(stringClaim(objectClaim(launchClaims, CLAIM.context), 'id')) : customId(launchClaims, 'canvas_course_id');
}

/** The LMS's own id of the launching user: Moodle `sub`, Canvas custom canvas_user_id. */
export function lmsUserIdOf(kind: LmsKind, launchClaims: Claims): string | undefined {
  return kind === 'moodle' ? usableId(stringClaim(launchClaims, 'sub')) : customId(launchClaims, 'canvas_user_id');
}

/**
 * Records the Canvas user id ↔ sub link a launch carries. Only Canvas needs links (Moodle's ids
 * are the same on both sides), and only the Canvas configuration adds canvas_user_id, so its
 * presence is what says the launch came from Canvas. Resolves to true when it wrote a new or
 * corrected link.
 */
export async function recordLaunchLink(store: Pick<Store, 'lmsUserLinks'>, launch: { platformId: string; userId: string; claims: Claims }, now: Date): Promise<boolean> {
  const lmsUserId = lmsUserIdOf('canvas', launch.claims);
  if (!lmsUserId || !launch.userId) return false;
  // Launches are a hot path: a read is enough when the link is already known, so no write transaction per launch.
  if ((await store.lmsUserLinks.lookup(launch.platformId, [lmsUserId])).get(lmsUserId) === launch.userId) return false;
  await store.lmsUserLinks.record(launch.platformId, [{ lmsUserId, ltiUserId: launch.userId }], now.getTime());
  return true;
}

/** A custom claim value, unless Canvas left the variable unsubstituted ("$Canvas.user.id": the tool was not allowed to see it). */
function customId(claims: Claims, name: string): string | undefined {
  const value = objectClaim(claims, CLAIM.custom)?.[name];
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  return text?.startsWith('$') ? undefined : usableId(text);
}

function usableId(value: string | undefined): string | undefined {
  return value && value.length <= MAX_ID_LENGTH ? value : undefined;
}
