/** Everything the CLI and the server share, opened from one configuration: store, key secret, issuer keys, issuer. */
import { loadConfig, type ToolConfig } from './config.ts';
import { createIssuer, type Issuer } from './issuance/issuer.ts';
import { IssuerKeys } from './keys/issuer-keys.ts';
import { loadKeySecret } from './keys/key-secret.ts';
import { SecretBox } from './keys/secret-box.ts';
import { openStore, type Store } from './store/open-store.ts';
import { createLtiServices, type LtiServices } from './lti/lti-services.ts';
import type { IssuanceDeps } from './issuance/award-engine.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ltiCohortReader, ltiLineItemFinder } from './issuance/lti-cohort.ts';
import type { CohortReader, SyncDeps } from './issuance/results-sync.ts';
import type { FindLineItem } from './issuance/course-launch.ts';
import { createLmsConnections, type LmsConnections } from './lms/lms-connections.ts';
import { createMoodleSource } from './lms/moodle-source.ts';
import { createCanvasSource } from './lms/canvas-source.ts';
import { authorizeUrl, exchangeCode, refreshAccessToken } from './lms/canvas-oauth.ts';
import type { LmsWatchDeps } from './lms/lms-watch-course.ts';
import { nrpsIdentityResolver } from './lms/nrps-identities.ts';

export interface Runtime {
  readonly config: ToolConfig;
  readonly store: Store;
  readonly keys: IssuerKeys;
  readonly issuer: Issuer;
  /** The LTI 1.3 tool: keys, platform registrations, launches, AGS/NRPS clients. */
  readonly lti: LtiServices;
  /** The issuance core (award engine, revocation, public credential pages) over this store and issuer. */
  readonly issuance: IssuanceDeps;
  /** The automatic award: results syncs over AGS + NRPS (sync-scheduler.ts tick, course launches). */
  readonly sync: { readonly issuance: SyncDeps; readonly readCohort: CohortReader; readonly findLineItem: FindLineItem; readonly owner: string; readonly lmsWatch: LmsWatchDeps };
  /** LMS REST API connections per platform (Moodle web services, Canvas REST API; issue 7). */
  readonly lms: LmsConnections;
  /** Set when a new key secret was written on this start; the caller tells the admin to back it up. */
  readonly generatedKeySecret: string | undefined;
  close(): Promise<void>;
}

export async function openRuntime(env: Record<string, string | undefined> = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const secret = loadKeySecret({ env, dataDir: config.dataDir });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const keys = new IssuerKeys({ issuerDid: config.issuerDid, repository: store.keys, secretBox: new SecretBox(secret) });
  const issuer = createIssuer(config, keys, { qualityAssurance: env.ISSUER_QUALITY_ASSURANCE });
  const lti = createLtiServices({
    settings: { publicUrl: config.publicUrl, toolName: 'microcred', skewSeconds: config.ltiSkewSeconds, adminToken: config.adminToken, cookielessFallback: config.ltiCookielessFallback },
    store,
    secretBox: new SecretBox(secret),
  });
  const lms = createLmsConnections({
    store,
    secretBox: new SecretBox(secret),
    sources: { moodle: createMoodleSource, canvas: createCanvasSource },
    canvasOAuth: { authorizeUrl, exchangeCode, refreshAccessToken },
  });
  const issuance = { store, issuer, publicUrl: config.publicUrl };
  return {
    config,
    store,
    keys,
    issuer,
    issuance,
    lti,
    // The owner names this process in job leases, so another instance can take over an abandoned job.
    sync: { issuance, readCohort: ltiCohortReader(lti), findLineItem: ltiLineItemFinder(lti), owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, lmsWatch: { ...issuance, lms, resolveIdentities: nrpsIdentityResolver(lti) } },
    lms,
    generatedKeySecret: secret.generated ? secret.source : undefined,
    close: () => store.close(),
  };
}
