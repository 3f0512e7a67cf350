/**
 * Canvas user ids → LTI `sub`s without any learner launching: LTI NRPS 2.0 §3.6.1.2 lets the tool
 * ask the roster for one resource link (`rlid`); each member then carries that link's launch
 * message with the custom parameters expanded for the member, and the Canvas developer-key
 * configuration asks for canvas_user_id=$Canvas.user.id (lti/tool-configuration.ts). The roster
 * address comes from the course's stored launches (the instructor's deep link is enough); the
 * resource link from the definition, a stored launch, or else the definition's own line item in the
 * course's AGS container (AGS 2.0 §3.2 resourceLinkId), so no learner has to launch anything.
 * Answers only for the ids asked; an NRPS failure leaves them waiting, never guessed.
 */
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { fetchMemberships, memberLaunchCustom } from '../lti/nrps-client.ts';
import { membershipsUrlOf, newestLaunchValue } from '../issuance/lti-cohort.ts';
import { definitionsOfCourse, type ResolveIdentities } from './lms-watch-course.ts';
import { AgsClient } from '../lti/ags-client.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import type { DefinitionRecord } from '../store/definition-repository.ts';

export function nrpsIdentityResolver(lti: LtiServices): ResolveIdentities {
  return async (platformId, courseId, lmsUserIds) => {
    const found = new Map<string, string>();
    const platform = await lti.store.ltiPlatforms.byId(platformId);
    if (!platform) return found;
    const wanted = new Set(lmsUserIds);
    for (const definition of await definitionsOfCourse(lti, platformId, courseId)) {
      const membershipsUrl = await membershipsUrlOf(lti, definition);
      const rlid =
        definition.binding.resourceLinkId ??
        (await newestLaunchValue(lti, definition, (launch) => stringClaim(objectClaim(launch, CLAIM.resourceLink), 'id'))) ??
        (await lineItemResourceLink(lti, platform, definition));
      if (!membershipsUrl || !rlid) continue;
      const roster = await fetchMemberships(platform, lti.serviceDeps, membershipsUrl, { rlid });
      for (const member of roster.members) {
        const canvasUserId = memberLaunchCustom(member)?.canvas_user_id;
        if (canvasUserId && wanted.has(canvasUserId) && typeof member.user_id === 'string' && member.user_id !== '') found.set(canvasUserId, member.user_id);
      }
      return found;
    }
    return found;
  };
}

/** The resource link of the activity the LMS created from the definition's deep link, read from its line item. */
async function lineItemResourceLink(lti: LtiServices, platform: PlatformRecord, definition: DefinitionRecord): Promise<string | undefined> {
  const lineItemsUrl = await newestLaunchValue(lti, definition, (launch) => stringClaim(objectClaim(launch, CLAIM.agsEndpoint), 'lineitems'));
  if (!lineItemsUrl) return undefined;
  const items = await new AgsClient(platform, lti.serviceDeps).listLineItems(lineItemsUrl, { resourceId: definition.id });
  return items.find((item) => item.resourceId === definition.id && item.resourceLinkId)?.resourceLinkId;
}
