/**
 * startPlatform(): a simulated LMS (Moodle or Canvas flavour) on a loopback port that speaks the
 * platform side of LTI 1.3, Dynamic Registration, Deep Linking 2.0, AGS 2.0 and NRPS 2.0 over
 * real HTTP with its own RS256 keys, plus the admin and "browser" helpers tests drive it with.
 * See README.md in this folder for the API and each flavour's quirks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Browser, type BrowserPage } from './browser.ts';
import type { SimContext } from './context.ts';
import { flavourProfile, randomToken, type FlavourProfile } from './flavours.ts';
import { SimError, SimState, type CourseRole, type DeepLinkReceipt, type Flavour, type LaunchOverride, type PendingLaunch, type SimActivity, type SimCourse, type SimTool, type SimUser } from './model.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { addActivity, addCourse, addUser, enrol, type ActivityInput } from './people-and-courses.ts';
import { PlatformKeys } from './platform-keys.ts';
import { mintRegistrationToken, registrationRoutes, TOOL_CONFIGURATION } from './registration-routes.ts';
import { serviceRoutes } from './service-routes.ts';
import { deepLinkRoutes, submitDeepLink, type DeepLinkSubmission } from './deep-link-routes.ts';
import { createGradebook, type Gradebook } from './gradebook.ts';
import { PlatformStorage } from './platform-storage.ts';

export type { BrowserPage } from './browser.ts';
export { Browser } from './browser.ts';
export type { CourseRole, DeepLinkReceipt, Flavour, LaunchOverride, SimActivity, SimCourse, SimTool, SimUser } from './model.ts';
export { SimError } from './model.ts';

export interface StartPlatformOptions {
  readonly flavour: Flavour;
  /** Injected clock in milliseconds (like Date.now) for iat/exp of every token the platform mints or checks. */
  readonly now?: () => number;
}

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

export interface RegistrationOutcome {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly status: 'pending' | 'active';
  readonly toolConfiguration: Record<string, unknown>;
  readonly closeMessageSeen: boolean;
  readonly page: BrowserPage;
}

export interface ManualTool {
  readonly loginUrl: string;
  readonly redirectUris: string[];
  readonly jwksUrl: string;
  readonly targetLinkUri: string;
  readonly deepLinkUrl?: string;
  readonly scopes?: string[];
  readonly claims?: string[];
  readonly name?: string;
  readonly customParameters?: Record<string, string>;
}

export interface SimPlatform {
  readonly flavour: Flavour;
  readonly issuer: string;
  readonly baseUrl: string;
  readonly urls: {
    readonly openidConfiguration: string;
    readonly registration: string;
    readonly authorize: string;
    readonly jwks: string;
    readonly token: string;
    lineItems(courseId: string, clientId: string): string;
    lineItem(courseId: string, itemId: string, clientId: string): string;
    memberships(courseId: string, clientId: string): string;
  };
  close(): Promise<void>;
  dynamicRegister(toolRegistrationUrl: string, options?: { browser?: Browser; confirm?: (page: BrowserPage) => Promise<BrowserPage> }): Promise<RegistrationOutcome>;
  activateTool(clientId: string): void;
  registerToolManually(tool: ManualTool): { clientId: string; deploymentId: string };
  tool(clientId: string): Readonly<SimTool>;
  addCourse(course: { id?: string; title: string; label?: string }): SimCourse;
  addUser(user: { id?: string; name: string; givenName?: string; familyName?: string; email?: string }): SimUser;
  enrol(courseId: string, userId: string, role: CourseRole): void;
  addActivity(courseId: string, activity: Omit<ActivityInput, 'url'>): SimActivity;
  activity(activityId: string): SimActivity;
  launch(args: LaunchArgs): Promise<BrowserPage>;
  submitDeepLink(page: BrowserPage, fields?: Record<string, string>): Promise<DeepLinkSubmission>;
  readonly deepLinks: readonly DeepLinkReceipt[];
  readonly gradebook: Gradebook;
  tokensIssued(): readonly { clientId: string; scopes: string[] }[];
  /** Every HTTP request the simulator answered, in order. */
  requests(): readonly { method: string; path: string; status: number }[];
  /** Start signing with a new platform key (the old one stays in the JWKS unless keepPrevious is false); returns the new kid. */
  rotateKeys(keepPrevious?: boolean): Promise<string>;
  readonly platformStorage: PlatformStorage;
}

export async function startPlatform(options: StartPlatformOptions): Promise<SimPlatform> {
  const profile: FlavourProfile = flavourProfile(options.flavour);
  const now = options.now ?? Date.now;
  const state = new SimState();
  const keys = await PlatformKeys.create();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = profile.issuer(baseUrl);
  const ctx: SimContext = { profile, state, keys, now, baseUrl: () => baseUrl, issuer: () => issuer };
  const log: { method: string; path: string; status: number }[] = [];
  const storage = new PlatformStorage(baseUrl, profile.flavour === 'canvas' ? 'post_message_forwarding' : '_parent');

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.on('finish', () => log.push({ method: req.method, path: req.originalUrl, status: res.statusCode }));
    next();
  });
  app.get(profile.paths.jwks, (_req, res) => {
    res.json(keys.jwks());
  });
  app.use(registrationRoutes(ctx));
  app.use(oidcRoutes(ctx));
  app.use(serviceRoutes(ctx));
  app.use(deepLinkRoutes(ctx));
  app.use(storage.routes());
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  server.on('request', app);

  const toolOf = (clientId: string): SimTool => {
    const tool = state.tools.get(clientId);
    if (!tool) throw new SimError('SIM_UNKNOWN_TOOL', `No tool with client_id ${clientId}.`);
    return tool;
  };

  const platform: SimPlatform = {
    flavour: options.flavour,
    issuer,
    baseUrl,
    urls: {
      openidConfiguration: `${baseUrl}${profile.paths.openidConfiguration}`,
      registration: `${baseUrl}${profile.paths.registration}`,
      authorize: `${baseUrl}${profile.paths.authorize}`,
      jwks: `${baseUrl}${profile.paths.jwks}`,
      token: `${baseUrl}${profile.paths.token}`,
      lineItems: (courseId, clientId) => profile.lineItemsUrl(baseUrl, courseId, toolOf(clientId)),
      lineItem: (courseId, itemId, clientId) => profile.lineItemUrl(baseUrl, courseId, itemId, toolOf(clientId)),
      memberships: (courseId, clientId) => profile.membershipsUrl(baseUrl, courseId, toolOf(clientId)),
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async dynamicRegister(toolRegistrationUrl, registerOptions = {}) {
      const browser = registerOptions.browser ?? new Browser({ now });
      const before = new Set(state.tools.keys());
      const token = await mintRegistrationToken(ctx);
      const url = new URL(toolRegistrationUrl);
      url.searchParams.set('openid_configuration', platform.urls.openidConfiguration);
      url.searchParams.set('registration_token', token);
      // The admin's registration page opens the tool's URL in an iframe of the LMS page.
      let page = await browser.navigate(url.toString(), { initiator: baseUrl, embeddedIn: baseUrl });
      const registered = () => [...state.tools.keys()].find((clientId) => !before.has(clientId));
      if (!registered()) {
        if (registerOptions.confirm) page = await registerOptions.confirm(page);
        else if (page.forms.some((form) => form.method === 'POST')) page = await browser.submit(page, (form) => form.method === 'POST');
      }
      const clientId = registered();
      if (!clientId) {
        throw new SimError('SIM_REGISTRATION_NOT_RECEIVED', `The tool did not register (its page answered HTTP ${page.status} at ${page.url}): ${page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`);
      }
      const tool = toolOf(clientId);
      return { clientId, deploymentId: tool.deploymentId, status: tool.status, toolConfiguration: tool.toolConfiguration, closeMessageSeen: await sawCloseMessage(page), page };
    },
    activateTool(clientId) {
      toolOf(clientId).status = 'active';
    },
    registerToolManually(manual) {
      const sequence = state.next();
      const scopes = manual.scopes ?? profile.scopesSupported.filter((scope) => scope !== 'openid');
      const claims = manual.claims ?? ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'];
      const tool: SimTool = {
        clientId: profile.newClientId(sequence),
        deploymentId: profile.newDeploymentId(sequence),
        typeId: String(sequence),
        status: 'active',
        name: manual.name ?? 'Manually configured tool',
        loginUrl: manual.loginUrl,
        redirectUris: [...manual.redirectUris],
        jwksUrl: manual.jwksUrl,
        targetLinkUri: manual.targetLinkUri,
        deepLinkUrl: manual.deepLinkUrl,
        scopes,
        claims,
        customParameters: { ...(manual.customParameters ?? {}) },
        toolConfiguration: {
          client_name: manual.name ?? 'Manually configured tool',
          initiate_login_uri: manual.loginUrl,
          redirect_uris: manual.redirectUris,
          jwks_uri: manual.jwksUrl,
          scope: scopes.join(' '),
          [TOOL_CONFIGURATION]: { target_link_uri: manual.targetLinkUri, domain: new URL(manual.targetLinkUri).host, claims },
        },
      };
      state.tools.set(tool.clientId, tool);
      return { clientId: tool.clientId, deploymentId: tool.deploymentId };
    },
    tool: toolOf,
    addCourse: (course) => addCourse(state, options.flavour, course),
    addUser: (user) => addUser(state, user),
    enrol: (courseId, userId, role) => enrol(state, courseId, userId, role),
    addActivity: (courseId, activity) => addActivity(state, options.flavour, courseId, activity),
    activity(activityId) {
      const activity = state.activities.get(activityId);
      if (!activity) throw new SimError('SIM_UNKNOWN_ACTIVITY', `No activity ${activityId}.`);
      return activity;
    },
    async launch(args) {
      const launch = await prepareLaunch(ctx, args);
      const browser = args.browser ?? new Browser({ now });
      const lmsPage = await browser.navigate(`${profile.launchPageUrl(baseUrl, state.courses.get(args.courseId)!, launch.key)}${args.method === 'GET' ? '&method=GET' : ''}`, { follow: false });
      const initiation = lmsPage.forms.find((form) => form.autoSubmit);
      if (lmsPage.status !== 200 || !initiation) throw new SimError('SIM_LAUNCH_PAGE', `The simulated LMS page answered HTTP ${lmsPage.status}.`);
      return browser.navigate(initiation.action, {
        method: initiation.method,
        form: initiation.entries,
        initiator: baseUrl,
        ...(args.presentation === 'window' ? {} : { embeddedIn: baseUrl }),
      });
    },
    submitDeepLink: (page, fields) => submitDeepLink(ctx, page, fields),
    get deepLinks() {
      return state.deepLinks;
    },
    gradebook: createGradebook(ctx),
    tokensIssued: () => state.tokensIssued.map((t) => ({ clientId: t.clientId, scopes: [...t.scopes] })),
    requests: () => [...log],
    rotateKeys: (keepPrevious = true) => keys.rotate(keepPrevious),
    platformStorage: storage,
  };
  return platform;
}

async function prepareLaunch(ctx: SimContext, args: LaunchArgs): Promise<PendingLaunch> {
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

/** Whether the page would post {subject: 'org.imsglobal.lti.close'}: its scripts (inline or fetched) or a data-lti-close marker. */
async function sawCloseMessage(page: BrowserPage): Promise<boolean> {
  if (/\bdata-lti-close\b/.test(page.html)) return true;
  for (const script of page.scripts) {
    if (script.text.includes('org.imsglobal.lti.close')) return true;
    if (script.src) {
      const text = await page.browser.subresource(script.src, page);
      if (text?.includes('org.imsglobal.lti.close')) return true;
    }
  }
  return false;
}
