/**
 * The cohort of a bound definition as the platform reports it: LTI AGS 2.0 §3.3 results of its
 * line item and LTI NRPS 2.0 §3.6 context memberships (names, emails), read with the platform's
 * service token (LTI Security Framework 1.0 §4.1, client_credentials). Used by the results sync,
 * which runs without any user session: the memberships URL travels in the sync job (learned from a
 * launch, handed from job to job), else it comes from the newest stored launch in that course.
 */
import { AgsClient } from '../lti/ags-client.ts';
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { fetchMemberships, type Member } from '../lti/nrps-client.ts';
import type { DefinitionRecord } from '../store/definition-repository.ts';
import type { CohortMember, CohortReader } from './results-sync.ts';
import type { FindLineItem } from './course-launch.ts';

export class CohortReadError extends Error {
  override readonly name = 'CohortReadError';
  constructor(
    readonly code: 'COHORT_NOT_BOUND' | 'COHORT_PLATFORM_UNKNOWN' | 'COHORT_NO_ROSTER',
    message: string,
  ) {
    super(message);
  }
}

/** A CohortReader over the LTI services of the runtime; platform errors (token refused, 5xx, timeout) are thrown for the job to retry. */
export function ltiCohortReader(lti: LtiServices): CohortReader {
  return async (definition, hints = {}) => {
    const { platformId, deploymentId, contextId } = definition.binding;
    if (!platformId || !deploymentId || !contextId) throw notBound();
    const platform = await lti.store.ltiPlatforms.byId(platformId);
    if (!platform) throw new CohortReadError('COHORT_PLATFORM_UNKNOWN', 'The platform registration of this course was removed; results cannot be read.');
    const ags = new AgsClient(platform, lti.serviceDeps);
    const lineItemId = definition.binding.lineItemId ?? (await bindFromContainer(lti, ags, definition, hints.lineItemsUrl));
    const results = await ags.results(lineItemId);
    const membershipsUrl = hints.membershipsUrl ?? (await membershipsUrlOf(lti, definition));
    if (!membershipsUrl) throw new CohortReadError('COHORT_NO_ROSTER', 'The tool does not know the course roster address yet; it learns it from the next launch in this course (Names and Role Provisioning must be enabled).');
    const roster = await fetchMemberships(platform, lti.serviceDeps, membershipsUrl);
    return { results: results.map((r) => ({ userId: r.userId, resultScore: r.resultScore ?? null, resultMaximum: r.resultMaximum ?? null })), members: roster.members.filter((m) => m.status !== 'Deleted').map(memberOf) };
  };
}

function notBound(): CohortReadError {
  return new CohortReadError('COHORT_NOT_BOUND', 'This micro-credential is not yet placed on a graded activity of a course (save the activity in the LMS, or open it once from the course).');
}

/**
 * A deep-linked definition's line item, found in the course's container by resourceId (AGS 2.0
 * §3.2) once the LMS has created the activity, and remembered on the definition. Until then the
 * job fails as not bound and is retried with backoff.
 */
async function bindFromContainer(lti: LtiServices, ags: AgsClient, definition: DefinitionRecord, lineItemsUrl: string | undefined): Promise<string> {
  if (!lineItemsUrl) throw notBound();
  const found = (await ags.listLineItems(lineItemsUrl, { resourceId: definition.id })).filter((item) => item.id && item.resourceId === definition.id);
  if (found.length !== 1) throw notBound();
  const item = found[0]!;
  const binding = { ...definition.binding, lineItemId: item.id!, resourceLinkId: definition.binding.resourceLinkId ?? item.resourceLinkId };
  await lti.store.definitions.save({ ...definition, binding, updatedAt: lti.now() });
  return item.id!;
}

export function memberOf(member: Member): CohortMember {
  const name = member.name?.trim() || [member.given_name, member.family_name].filter(Boolean).join(' ').trim() || member.user_id;
  return { userId: member.user_id, name, email: member.email };
}

/** The NRPS context_memberships_url of the newest stored launch in the definition's course. */
export function membershipsUrlOf(lti: LtiServices, definition: DefinitionRecord): Promise<string | undefined> {
  return newestLaunchValue(lti, definition, (launch) => stringClaim(objectClaim(launch, CLAIM.nrpsService), 'context_memberships_url'));
}

/** A value read from the newest of the last stored launches in the definition's course that has it. */
export async function newestLaunchValue(lti: LtiServices, definition: DefinitionRecord, read: (launch: Record<string, unknown>) => string | undefined): Promise<string | undefined> {
  const { platformId, deploymentId, contextId } = definition.binding;
  const rows = await lti.store.awards.db.query<{ launch: string }>(
    'SELECT launch FROM lti_sessions WHERE platform_id = ? AND deployment_id = ? AND context_id = ? ORDER BY created_at DESC LIMIT 20',
    [platformId ?? null, deploymentId ?? null, contextId ?? null],
  );
  for (const row of rows) {
    const value = read(JSON.parse(row.launch) as Record<string, unknown>);
    if (value) return value;
  }
  return undefined;
}

/** FindLineItem over the launch's AGS `lineitems` URL; undefined when the platform lists none or several. */
export function ltiLineItemFinder(lti: LtiServices): FindLineItem {
  return async (session, definitionId) => {
    const { client, lineItems } = await lti.ags(session);
    if (!lineItems) return undefined;
    const found = (await client.listLineItems(lineItems, { resourceId: definitionId })).filter((item) => item.id && item.resourceId === definitionId);
    return found.length === 1 ? { id: found[0]!.id!, resourceLinkId: found[0]!.resourceLinkId } : undefined;
  };
}
