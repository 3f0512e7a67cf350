/** The LTI side of the tool, wired once from the runtime: keys, platform key cache, service tokens, and the handlers the routes call. */
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../keys/secret-box.ts';
import type { Store } from '../store/open-store.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import type { SessionRecord } from '../store/lti-launch-repository.ts';
import { AgsClient, type ServiceCallDeps } from './ags-client.ts';
import { PlatformKeys } from './platform-keys.ts';
import type { HttpFetch } from './platform-http.ts';
import { ServiceTokens } from './service-token.ts';
import { ToolKeys } from './tool-keys.ts';
import { fetchMemberships, type Roster } from './nrps-client.ts';
import { CLAIM, objectClaim, stringClaim } from './claims.ts';
import { LtiError } from './errors.ts';

export interface LtiSettings {
  readonly publicUrl: string;
  readonly toolName: string;
  /** Allowed clock difference for id_token exp/iat, seconds (default 60: Moodle's tokens live 60 s). */
  readonly skewSeconds: number;
  /** MICROCRED_ADMIN_TOKEN, or undefined to generate one for this process. */
  readonly adminToken: string | undefined;
  /** Accept launches whose state only the single-use server-side row confirms (default true). */
  readonly cookielessFallback?: boolean;
}

export interface LtiServices {
  readonly settings: LtiSettings;
  readonly store: Store;
  readonly toolKeys: ToolKeys;
  readonly platformKeys: PlatformKeys;
  readonly serviceTokens: ServiceTokens;
  readonly serviceDeps: ServiceCallDeps;
  readonly adminToken: string;
  /** True when adminToken was generated on this start (main.ts prints it). */
  readonly adminTokenGenerated: boolean;
  readonly now: () => Date;
  /** The live session `id`, or undefined when unknown or expired. */
  session(id: string): Promise<SessionRecord | undefined>;
  /** AGS for a session's platform (line item URLs come from the session's AGS endpoint claim). */
  ags(session: SessionRecord): Promise<{ client: AgsClient; lineItems: string | undefined; lineItem: string | undefined }>;
  /** NRPS roster of a session's context. */
  roster(session: SessionRecord, options?: { role?: string }): Promise<Roster>;
}

export function createLtiServices(args: { settings: LtiSettings; store: Store; secretBox: SecretBox; fetch?: HttpFetch; now?: () => Date }): LtiServices {
  const now = args.now ?? (() => new Date());
  const fetchImpl: HttpFetch = args.fetch ?? ((url, init) => fetch(url, init));
  const toolKeys = new ToolKeys({ publicUrl: args.settings.publicUrl, repository: args.store.ltiKeys, secretBox: args.secretBox, now });
  const http = { fetch: fetchImpl };
  const serviceTokens = new ServiceTokens({ http, toolKeys, tokens: args.store.ltiTokens, now });
  const serviceDeps: ServiceCallDeps = { http, tokens: serviceTokens };
  const adminToken = args.settings.adminToken ?? randomBytes(24).toString('base64url');
  const platformOf = async (session: SessionRecord): Promise<PlatformRecord> => {
    const platform = await args.store.ltiPlatforms.byId(session.platformId);
    if (!platform) throw new LtiError('LTI_PLATFORM_UNKNOWN', 'The platform registration of this session was removed.');
    return platform;
  };
  return {
    settings: args.settings,
    store: args.store,
    toolKeys,
    platformKeys: new PlatformKeys({ fetch: (url, init) => fetchImpl(url, { method: 'GET', headers: init?.headers ?? {}, signal: init?.signal ?? new AbortController().signal, redirect: 'manual' }), now }),
    serviceTokens,
    serviceDeps,
    adminToken,
    adminTokenGenerated: args.settings.adminToken === undefined,
    now,
    session: (id) => args.store.ltiLaunches.session(id, now()),
    async ags(session) {
      const endpoint = objectClaim(session.launch, CLAIM.agsEndpoint);
      return { client: new AgsClient(await platformOf(session), serviceDeps), lineItems: stringClaim(endpoint, 'lineitems'), lineItem: stringClaim(endpoint, 'lineitem') };
    },
    async roster(session, options = {}) {
      const url = stringClaim(objectClaim(session.launch, CLAIM.nrpsService), 'context_memberships_url');
      if (!url) throw new LtiError('LTI_CLAIM_MISSING', 'The LMS did not offer the course roster to this tool.', 'Enable Names and Role Provisioning for the tool in the LMS.');
      return fetchMemberships(await platformOf(session), serviceDeps, url, options);
    },
  };
}
