/**
 * What a resource-link launch does for issuance (issue 4): the first launch of an activity created
 * by our deep link binds the definition named by its custom parameter `definition_id` to the
 * launch's resource link and AGS line item (LTI AGS 2.0 §3.1 endpoint claim `lineitem`); then the
 * course's results syncs run now rather than at the next interval, and a "completion" definition
 * is awarded to the learner who launched (the LMS let them in, so the module is complete). Every
 * launch also records the Canvas user id ↔ sub link the LMS watcher needs (lms-identity.ts).
 */
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import { recordLaunchLink } from '../lms/lms-identity.ts';
import type { SessionRecord } from '../store/lti-launch-repository.ts';
import { canManageCredentials, inSessionContext, type CourseSession } from './course-session.ts';
import { awardOnCompletionLaunch, enqueueResultsSync, syncOnLaunch, type CohortReader, type SyncDeps } from './results-sync.ts';
import { tick } from './sync-scheduler.ts';

/** The issuance view of an LTI session; undefined for a launch outside a course. */
export function courseSessionOf(session: SessionRecord): CourseSession | undefined {
  if (!session.contextId) return undefined;
  return { platformId: session.platformId, deploymentId: session.deploymentId, contextId: session.contextId, userId: session.userId, roles: session.roles };
}

export interface CourseLaunchOutcome {
  readonly bound: string | undefined;
  readonly completionAwards: number;
  readonly syncsRun: number;
}

/** Finds, in the course's line items (AGS 2.0 §3.2, `resource_id` filter), the one our deep link created for a definition. */
export type FindLineItem = (session: SessionRecord, definitionId: string) => Promise<{ id: string; resourceLinkId?: string | undefined } | undefined>;

export async function onCourseLaunch(deps: SyncDeps, session: SessionRecord, args: { owner: string; now: () => Date; readCohort: CohortReader; findLineItem?: FindLineItem }): Promise<CourseLaunchOutcome> {
  await recordLaunchLink(deps.store, { platformId: session.platformId, userId: session.userId, claims: session.launch }, args.now());
  const course = courseSessionOf(session);
  if (!course || session.messageType !== 'LtiResourceLinkRequest') return { bound: undefined, completionAwards: 0, syncsRun: 0 };
  const resourceLinkId = stringClaim(objectClaim(session.launch, CLAIM.resourceLink), 'id');
  const bound = resourceLinkId ? await bindOnFirstLaunch(deps, session, course, resourceLinkId) : undefined;
  let completionAwards = 0;
  if (resourceLinkId && !canManageCredentials(course)) {
    const name = stringClaim(session.launch, 'name') ?? ([stringClaim(session.launch, 'given_name'), stringClaim(session.launch, 'family_name')].filter(Boolean).join(' ') || session.userId);
    const outcomes = await awardOnCompletionLaunch(deps, { ...course, resourceLinkId }, { name, email: stringClaim(session.launch, 'email') });
    completionAwards = outcomes.filter((o) => o.ok && o.created).length;
  }
  if (args.findLineItem) await bindByResourceId(deps, session, course, args.findLineItem);
  const membershipsUrl = stringClaim(objectClaim(session.launch, CLAIM.nrpsService), 'context_memberships_url');
  await syncOnLaunch(deps, course, args.now(), membershipsUrl ? { membershipsUrl } : {});
  // Run the queued syncs now, so a grade posted in the LMS is a credential within seconds of any launch.
  const { runs } = await tick(deps, { owner: args.owner, now: args.now, readCohort: args.readCohort, enqueue: false, maxJobs: 20 });
  return { bound, completionAwards, syncsRun: runs.length };
}

/** Binds the definition of custom `definition_id` to this resource link and line item, when it belongs to this course. */
async function bindOnFirstLaunch(deps: SyncDeps, session: SessionRecord, course: CourseSession, resourceLinkId: string): Promise<string | undefined> {
  const definitionId = stringClaim(objectClaim(session.launch, CLAIM.custom), 'definition_id');
  if (!definitionId || definitionId.length > 100) return undefined;
  const record = await deps.store.definitions.get(definitionId);
  if (!inSessionContext(record, course)) return undefined;
  const lineItemId = stringClaim(objectClaim(session.launch, CLAIM.agsEndpoint), 'lineitem');
  const binding = record.binding;
  if (binding.resourceLinkId && binding.resourceLinkId !== resourceLinkId) return undefined;
  if (binding.resourceLinkId === resourceLinkId && (binding.lineItemId || !lineItemId)) return undefined;
  await deps.store.definitions.save({ ...record, binding: { ...binding, resourceLinkId, lineItemId: binding.lineItemId ?? lineItemId }, updatedAt: (deps.now ?? (() => new Date()))() });
  return record.id;
}


/**
 * Any launch in the course binds published score-rule definitions whose activity nobody has opened
 * yet: the line item the deep link asked for carries resourceId = definition id. A platform error
 * here only postpones the binding to a later launch.
 */
async function bindByResourceId(deps: SyncDeps, session: SessionRecord, course: CourseSession, find: FindLineItem): Promise<void> {
  for (const record of await deps.store.definitions.listInContext(course)) {
    if (!record.published || record.binding.lineItemId || record.passRule?.kind !== 'min-score') continue;
    try {
      const item = await find(session, record.id);
      if (!item) continue;
      const binding = { ...record.binding, lineItemId: item.id, resourceLinkId: record.binding.resourceLinkId ?? item.resourceLinkId };
      await deps.store.definitions.save({ ...record, binding, updatedAt: (deps.now ?? (() => new Date()))() });
    } catch (error) {
      console.warn(`Could not look up the line item of micro-credential ${record.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Right after the instructor deep-links a scored definition: queue its first results sync with the
 * course's AGS line items container and NRPS roster URL from the deep-linking launch, so the
 * scheduled sync finds the new line item (by resourceId) and awards without anyone launching again.
 */
export async function queueSyncAfterDeepLink(deps: SyncDeps, session: SessionRecord, definitionId: string, now: Date): Promise<boolean> {
  const lineItemsUrl = stringClaim(objectClaim(session.launch, CLAIM.agsEndpoint), 'lineitems');
  const membershipsUrl = stringClaim(objectClaim(session.launch, CLAIM.nrpsService), 'context_memberships_url');
  if (!lineItemsUrl) return false;
  return enqueueResultsSync(deps, definitionId, now, { lineItemsUrl, ...(membershipsUrl ? { membershipsUrl } : {}) });
}
