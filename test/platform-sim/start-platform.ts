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
import { flavourProfile, type FlavourProfile } from './flavours.ts';
import { SimError, SimState, type CourseRole, type DeepLinkReceipt, type Flavour, type SimActivity, type SimCourse, type SimTool, type SimUser } from './model.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { addActivity, addCourse, addUser, enrol, type ActivityInput } from './people-and-courses.ts';
import { PlatformKeys } from './platform-keys.ts';
import { mintRegistrationToken, registrationRoutes } from './registration-routes.ts';
import { sawCloseMessage } from './close-message.ts';
import { manualTool, type ManualTool } from './manual-registration.ts';
import { prepareLaunch, type LaunchArgs } from './prepare-launch.ts';
import { serviceRoutes } from './service-routes.ts';
import { deepLinkRoutes, submitDeepLink, type DeepLinkSubmission } from './deep-link-routes.ts';
import { createGradebook, type Gradebook } from './gradebook.ts';
import { PlatformStorage } from './platform-storage.ts';
import { createCanvasSim, type CanvasSim } from './canvas-sim-api.ts';
import { createMoodleSim, type MoodleSim } from './moodle-sim-api.ts';

export type { BrowserPage } from './browser.ts';
export { Browser } from './browser.ts';
export type { CourseRole, DeepLinkReceipt, Flavour, LaunchOverride, SimActivity, SimCourse, SimTool, SimUser } from './model.ts';
export { SimError } from './model.ts';
export type { ManualTool } from './manual-registration.ts';
export type { LaunchArgs } from './prepare-launch.ts';

export interface StartPlatformOptions {
  readonly flavour: Flavour;
  /** Injected clock in milliseconds (like Date.now) for iat/exp of every token the platform mints or checks. */
  readonly now?: () => number;
  /**
   * Moodle flavour only: behave like Moodle releases before the auth.php security fix, which posted
   * every authorization error — an unregistered redirect_uri included, as
   * "Unregistered redirect_uri <uri>" — to the redirect_uri the tool sent. Default false (current Moodle).
   */
  readonly legacyMoodleAuth?: boolean;
}

export interface RegistrationOutcome {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly status: 'pending' | 'active';
  readonly toolConfiguration: Record<string, unknown>;
  readonly closeMessageSeen: boolean;
  readonly page: BrowserPage;
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
  /**
   * For real browsers (playwright-core + Chromium): prepares the launch and returns the URL of
   * the LMS course page that embeds the tool in an iframe and posts the login initiation into it
   * (with the platform-storage receiver when `storageTarget` is offered). `browser` and
   * `presentation` are ignored.
   */
  launchUrl(args: LaunchArgs): Promise<string>;
  submitDeepLink(page: BrowserPage, fields?: Record<string, string>): Promise<DeepLinkSubmission>;
  readonly deepLinks: readonly DeepLinkReceipt[];
  readonly gradebook: Gradebook;
  tokensIssued(): readonly { clientId: string; scopes: string[] }[];
  /** Every form the authorization endpoint posted to a tool (`id_token` + `state`, or `error`…), oldest first — e.g. to replay one. */
  authorizationResponses(): readonly { redirectUri: string; fields: Readonly<Record<string, string>> }[];
  /** Every HTTP request the simulator answered, in order. */
  requests(): readonly { method: string; path: string; status: number }[];
  /** Start signing with a new platform key (the old one stays in the JWKS unless keepPrevious is false); returns the new kid. */
  rotateKeys(keepPrevious?: boolean): Promise<string>;
  readonly platformStorage: PlatformStorage;
  /** Canvas flavour only: the Canvas REST API and OAuth2 side (see "Canvas REST API" in README.md). */
  readonly canvas?: CanvasSim | undefined;
  /** Moodle flavour only: the Moodle web services (see "Moodle web services" in README.md). */
  readonly moodle?: MoodleSim | undefined;
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
  const ctx: SimContext = { profile, state, keys, now, baseUrl: () => baseUrl, issuer: () => issuer, legacyMoodleAuth: options.legacyMoodleAuth ?? false };
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
  const canvasSim = profile.flavour === 'canvas' ? createCanvasSim(ctx) : undefined;
  // Before the LTI services: Canvas's /login/oauth2/token also serves the developer-key grants.
  if (canvasSim) app.use(canvasSim.routes);
  const moodleSim = profile.flavour === 'moodle' ? createMoodleSim(ctx) : undefined;
  if (moodleSim) app.use(moodleSim.routes);
  app.use(serviceRoutes(ctx));
  app.use(deepLinkRoutes(ctx));
  app.use(storage.routes());
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  // Unparseable or oversized bodies get an OAuth-style JSON error, never an HTML stack trace.
  app.use(((error, _req, res, _next) => {
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    res.status(status).json({ error: status === 413 ? 'request_too_large' : status < 500 ? 'invalid_request' : 'server_error', error_description: (error as Error).message });
  }) as express.ErrorRequestHandler);
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
      const tool = manualTool(ctx, manual);
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
    async launchUrl(args) {
      const launch = await prepareLaunch(ctx, args);
      return `${profile.launchPageUrl(baseUrl, state.courses.get(args.courseId)!, launch.key)}&frame=1${args.method === 'GET' ? '&method=GET' : ''}`;
    },
    submitDeepLink: (page, fields) => submitDeepLink(ctx, page, fields),
    get deepLinks() {
      return state.deepLinks;
    },
    gradebook: createGradebook(ctx),
    tokensIssued: () => state.tokensIssued.map((t) => ({ clientId: t.clientId, scopes: [...t.scopes] })),
    requests: () => [...log],
    authorizationResponses: () => state.authorizationResponses.map((r) => ({ redirectUri: r.redirectUri, fields: { ...r.fields } })),
    rotateKeys: (keepPrevious = true) => keys.rotate(keepPrevious),
    platformStorage: storage,
    canvas: canvasSim?.api,
    moodle: moodleSim?.api,
  };
  return platform;
}
