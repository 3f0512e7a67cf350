/**
 * Canvas user ids → LTI `sub`s without any learner launching: LTI NRPS 2.0 §3.6.1.2 lets the tool
 * ask the roster for one resource link (`rlid`); each member then carries that link's launch
 * message with the custom parameters expanded for the member, and the Canvas developer-key
 * configuration asks for canvas_user_id=$Canvas.user.id (lti/tool-configuration.ts). The roster
 * address and a resource link come from the course's stored launches (the instructor's deep link
 * is enough). Answers only for the ids asked; an NRPS failure leaves them waiting, never guessed.
 */
import { CLAIM, objectClaim, stringClaim } from '../lti/claims.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { fetchMemberships, memberLaunchCustom } from '../lti/nrps-client.ts';
import { membershipsUrlOf, newestLaunchValue } from '../issuance/lti-cohort.ts';
import { definitionsOfCourse, type ResolveIdentities } from './lms-watch-course.ts';

export function nrpsIdentityResolver(lti: LtiServices): ResolveIdentities {
  return async (platformId, courseId, lmsUserIds) => {
    const found = new Map<string, string>();
    const platform = await lti.store.ltiPlatforms.byId(platformId);
    if (!platform) return found;
    const wanted = new Set(lmsUserIds);
    for (const definition of await definitionsOfCourse(lti, platformId, courseId)) {
      const membershipsUrl = await membershipsUrlOf(lti, definition);
      const rlid = definition.binding.resourceLinkId ?? (await newestLaunchValue(lti, definition, (launch) => stringClaim(objectClaim(launch, CLAIM.resourceLink), 'id')));
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
