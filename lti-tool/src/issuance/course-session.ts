/**
 * Who is asking, as an LTI launch establishes it (LTI 1.3 Core §5.3: platform `iss`/`aud`,
 * deployment_id, context.id, `sub`, roles). The learner and instructor handlers take this plain
 * object and do not care where it came from; the LTI layer builds it from a verified launch.
 */
import type { DefinitionRecord } from '../store/definition-repository.ts';
import { ltiLearnerKey } from './ids.ts';

export interface CourseSession {
  /** The platform registration id (issuer + client id), as the LTI layer names it. */
  readonly platformId: string;
  readonly deploymentId: string;
  readonly contextId: string;
  /** LTI `sub`. */
  readonly userId: string;
  /** LTI role URIs (LIS vocabulary). */
  readonly roles: readonly string[];
}

/** LTI 1.3 Core §A.2: context roles that may manage credentials in a course, and the institution administrator. */
const MANAGER_ROLES = [
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
];
// Sub-roles (…membership/Instructor#TeachingAssistant) are the same role for access purposes.
const MANAGER_PREFIXES = ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#'];

export function canManageCredentials(session: CourseSession): boolean {
  return session.roles.some((role) => MANAGER_ROLES.includes(role) || MANAGER_PREFIXES.some((prefix) => role.startsWith(prefix)));
}

export const learnerKeyOf = (session: CourseSession): string => ltiLearnerKey(session.platformId, session.userId);

/** A definition belongs to the session's course only when platform, deployment and context all match. */
export function inSessionContext(record: DefinitionRecord | undefined, session: CourseSession): record is DefinitionRecord {
  return record !== undefined && record.binding.platformId === session.platformId && record.binding.deploymentId === session.deploymentId && record.binding.contextId === session.contextId;
}

export class CourseAccessError extends Error {
  override readonly name = 'CourseAccessError';
  constructor(
    readonly code: 'NOT_INSTRUCTOR' | 'NOT_IN_COURSE',
    message: string,
  ) {
    super(message);
  }
}
