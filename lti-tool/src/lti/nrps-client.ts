/**
 * LTI Names and Role Provisioning Services 2.0 §3.6: context memberships, all pages (RFC 8288
 * `Link: rel="next"`), optionally filtered by role (§3.6.1.1 `role` query parameter) or asked for
 * one resource link (§3.6.1.2 `rlid`: each member then carries the `message` claims of a launch of
 * that link, custom parameters expanded for the member — Canvas's $Canvas.user.id, for instance).
 */
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { authorizedCall, type ServiceCallDeps } from './ags-client.ts';
import { SCOPES } from './claims.ts';
import { PlatformHttpError, linkWithRel } from './platform-http.ts';

export const MEMBERSHIP_MEDIA = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

export interface Member {
  readonly user_id: string;
  readonly roles: readonly string[];
  readonly status?: 'Active' | 'Inactive' | 'Deleted';
  readonly name?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly email?: string;
  readonly lti11_legacy_user_id?: string;
  /** With `rlid`: the launch claims of that resource link for this member. */
  readonly message?: readonly Record<string, unknown>[];
}

export interface Roster {
  readonly context: { readonly id: string; readonly label?: string; readonly title?: string } | undefined;
  readonly members: Member[];
}

export async function fetchMemberships(platform: PlatformRecord, deps: ServiceCallDeps, membershipsUrl: string, options: { role?: string; limit?: number; rlid?: string } = {}): Promise<Roster> {
  const first = new URL(membershipsUrl);
  if (options.role) first.searchParams.set('role', options.role);
  if (options.limit) first.searchParams.set('limit', String(options.limit));
  if (options.rlid) first.searchParams.set('rlid', options.rlid);
  const members: Member[] = [];
  let context: Roster['context'];
  const seen = new Set<string>();
  let next: string | undefined = first.toString();
  for (let page = 0; next && page < (deps.maxPages ?? 100) && !seen.has(next); page += 1) {
    seen.add(next);
    const answer = await authorizedCall(platform, deps, 'GET', next, [SCOPES.membershipReadOnly], { accept: MEMBERSHIP_MEDIA }, [200]);
    const body = answer.json as { context?: Roster['context']; members?: unknown } | undefined;
    if (!body || !Array.isArray(body.members)) throw new PlatformHttpError('LTI_HTTP_INVALID_ANSWER', `${next} did not answer with a membership container.`);
    context ??= body.context;
    members.push(...(body.members as Member[]));
    next = linkWithRel(answer.headers.get('link'), 'next');
  }
  return { context, members };
}

const MESSAGE_TYPE = 'https://purl.imsglobal.org/spec/lti/claim/message_type';
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';

/** The custom claim of the member's resource-link launch message (NRPS with `rlid`); string values only. */
export function memberLaunchCustom(member: Member): Record<string, string> | undefined {
  const message = member.message?.find((m) => m?.[MESSAGE_TYPE] === 'LtiResourceLinkRequest') ?? member.message?.[0];
  const custom = message?.[CUSTOM];
  if (!custom || typeof custom !== 'object' || Array.isArray(custom)) return undefined;
  return Object.fromEntries(Object.entries(custom as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
