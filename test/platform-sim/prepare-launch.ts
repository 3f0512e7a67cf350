/**
 * What happens in the LMS before the browser leaves for the tool (Security Framework 1.0 §5.1.1.1):
 * checking who launches what, and minting the launch's login_hint, lti_message_hint and, for
 * deep linking, the return URL and `data`.
 */
import type { Browser } from './browser.ts';
import type { SimContext } from './context.ts';
import { randomToken } from './flavours.ts';
import { SimError, type LaunchOverride, type PendingLaunch } from './model.ts';

export interface LaunchArgs {
  readonly clientId: string;
  readonly userId: string;
  readonly courseId: string;
  readonly activityId?: string;
  readonly messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  /** How the LMS page sends the login initiation to the tool (default POST, as both LMSs do). */
  readonly method?: 'GET' | 'POST';
  /** Offer LTI platform storage: true = the flavour's target (Canvas post_message_forwarding, Moodle-sim _parent), or a target name. */
  readonly storageTarget?: boolean | string;
  readonly browser?: Browser;
  /** 'iframe' (default, the tool runs in a frame of the LMS page) or 'window' (new window, top-level). */
  readonly presentation?: 'iframe' | 'window';
  readonly override?: LaunchOverride;
}

export async function prepareLaunch(ctx: SimContext, args: LaunchArgs): Promise<PendingLaunch> {
  const { state, profile } = ctx;
  const tool = state.tools.get(args.clientId);
  if (!tool) throw new SimError('SIM_UNKNOWN_TOOL', `No tool with client_id ${args.clientId}.`);
  const user = state.users.get(args.userId);
  if (!user) throw new SimError('SIM_UNKNOWN_USER', `No user ${args.userId}.`);
  if (!state.courses.has(args.courseId)) throw new SimError('SIM_UNKNOWN_COURSE', `No course ${args.courseId}.`);
  if (!state.roleOf(args.courseId, args.userId)) throw new SimError('SIM_NOT_ENROLLED', `User ${args.userId} is not enrolled in course ${args.courseId}.`);
  const messageType = args.messageType ?? 'LtiResourceLinkRequest';
  let activityId: string | undefined;
  if (messageType === 'LtiResourceLinkRequest') {
    const activity = args.activityId ? state.activities.get(args.activityId) : undefined;
    if (!activity) throw new SimError('SIM_UNKNOWN_ACTIVITY', `A resource link launch needs an existing activityId (got ${String(args.activityId)}).`);
    if (activity.clientId !== tool.clientId || activity.courseId !== args.courseId) throw new SimError('SIM_BAD_INPUT', `Activity ${activity.id} belongs to another tool or course.`);
    activityId = activity.id;
  }
  const key = randomToken(12);
  const messageHint =
    profile.flavour === 'moodle'
      ? JSON.stringify({ cmid: activityId ?? args.courseId, launchid: `ltilaunch${state.next()}_${randomToken(6)}` })
      : await ctx.keys.sign({ verifier: randomToken(32), canvas_domain: new URL(ctx.baseUrl()).host, context_type: 'Course', context_id: Number(args.courseId) || args.courseId, canvas_locale: 'en', include_storage_target: Boolean(args.storageTarget), exp: Math.floor(ctx.now() / 1000) + 300 });
  const storageTarget = args.storageTarget === true ? profile.storageTarget : typeof args.storageTarget === 'string' ? args.storageTarget : undefined;
  const launch: PendingLaunch = {
    key,
    messageHint,
    loginHint: profile.flavour === 'canvas' ? user.legacyId : user.id,
    clientId: tool.clientId,
    userId: user.id,
    courseId: args.courseId,
    activityId,
    messageType,
    storageTarget,
    override: args.override ?? {},
    sessionId: undefined,
    authorized: false,
  };
  state.launches.set(key, launch);
  state.launchByHint.set(messageHint, key);
  if (messageType === 'LtiDeepLinkingRequest') {
    const data = profile.flavour === 'canvas' ? await ctx.keys.sign({ deep_link_key: key, placement: 'assignment_selection' }) : randomToken(9);
    state.deepLinkSessions.set(key, { key, clientId: tool.clientId, courseId: args.courseId, userId: user.id, data, returnUrl: profile.deepLinkReturnUrl(ctx.baseUrl(), args.courseId, tool, key) });
  }
  return launch;
}

