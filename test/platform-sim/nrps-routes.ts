/**
 * LTI Names and Role Provisioning Services 2.0 §3 — the context membership service: the
 * membership container (application/vnd.ims.lti-nrps.v2.membershipcontainer+json) with a `role`
 * filter (full URI or the short context role name) and paging via `limit` and Link rel="next";
 * on Canvas also `rlid` (§3.6.1.2): each member's `message` holds that resource link's launch claims.
 */
import express from 'express';
import type { SimContext } from './context.ts';
import { NRPS_SCOPE } from './flavours.ts';
import { customClaim } from './launch-claims.ts';
import { paginate, requestUrl, requireToken, resolveScope } from './service-access.ts';

export const NRPS_MEDIA = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

export function nrpsRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  const moodle = ctx.profile.flavour === 'moodle';
  const path = moodle ? '/mod/lti/services.php/CourseSection/:courseId/bindings/:typeId/memberships' : '/api/lti/courses/:courseId/names_and_roles';
  router.get(path, (req, res) => {
    const token = requireToken(ctx, req, res, [NRPS_SCOPE]);
    if (!token) return;
    const resolved = resolveScope(ctx, req, res, token, moodle ? String((req.params as Record<string, string>).typeId) : undefined);
    if (!resolved) return;
    const { course, tool } = resolved;
    const role = typeof req.query.role === 'string' ? req.query.role : undefined;
    const members = [...(ctx.state.enrolments.get(course.id) ?? new Map()).entries()]
      .map(([userId, courseRole]) => ({ user: ctx.state.users.get(userId)!, roles: ctx.profile.membershipRoles(courseRole) }))
      .filter(({ roles }) => role === undefined || roles.some((uri) => uri === role || uri.endsWith(`#${role}`)));
    // NRPS 2.0 §3.6.1.2 resource link membership (Canvas): members carry the launch message of that link.
    const rlid = !moodle && typeof req.query.rlid === 'string' ? req.query.rlid : undefined;
    const link = rlid !== undefined ? [...ctx.state.activities.values()].find((a) => a.courseId === course.id && a.resourceLinkId === rlid) : undefined;
    if (rlid !== undefined && !link) return void res.status(404).json({ errors: [{ message: 'The specified resource does not exist.' }] });
    const page = paginate(members, req, res, requestUrl(ctx, req));
    const share = (claim: string) => !moodle || tool.claims.includes(claim);
    const body = {
      id: requestUrl(ctx, req),
      context: { id: course.contextId, label: course.label, title: course.title },
      members: page.map(({ user, roles }) => ({
        status: 'Active',
        ...(share('name') ? { name: user.name } : {}),
        ...(share('given_name') ? { given_name: user.givenName } : {}),
        ...(share('family_name') ? { family_name: user.familyName } : {}),
        ...(share('email') ? { email: user.email } : {}),
        user_id: moodle ? user.id : user.ltiId,
        ...(moodle ? {} : { lti11_legacy_user_id: user.legacyId, picture: 'https://canvas.instructure.com/images/messages/avatar-50.png' }),
        roles,
        ...(link
          ? {
              message: [
                {
                  'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest',
                  locale: 'en',
                  'https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id': user.legacyId,
                  'https://purl.imsglobal.org/spec/lti/claim/custom': customClaim({ tool, activity: link, user, course, profile: ctx.profile, state: ctx.state, baseUrl: ctx.baseUrl() }),
                },
              ],
            }
          : {}),
      })),
    };
    res.type(NRPS_MEDIA).send(JSON.stringify(body));
  });
  return router;
}
