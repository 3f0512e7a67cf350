/**
 * LTI 1.3 Core §5.1.2–5.1.3: the authentication response at the redirect URI. Checks the state
 * (stored at login, bound to the browser by a cookie, by Client Side postMessage storage when the
 * platform offers it, or — when the browser sends no cookie and the platform offers no storage —
 * by the single-use, short-lived server-side state alone), validates the id_token, and opens a
 * short-lived session. Nothing is written unless every check passes.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { NonceReplayedError, type LtiLaunchRepository, type SessionRecord } from '../store/lti-launch-repository.ts';
import type { LtiPlatformRepository, PlatformRecord } from '../store/lti-platform-repository.ts';
import { CLAIM, objectClaim, stringClaim } from './claims.ts';
import { LtiError, START_AGAIN, securityHint } from './errors.ts';
import type { PlatformKeys } from './platform-keys.ts';
import { platformRefusal } from './platform-refusal.ts';
import { validateIdToken } from './validate-id-token.ts';

export const SESSION_TTL_MS = 60 * 60_000;
export const STORAGE_CHECK_HEADER = 'x-microcred-storage-check';

export interface LaunchParams {
  readonly id_token?: string | undefined;
  readonly state?: string | undefined;
  readonly error?: string | undefined;
  readonly error_description?: string | undefined;
  /** The state and nonce read back from platform storage by the tool's own script (lti-storage.js). */
  readonly storage_state?: string | undefined;
  readonly storage_nonce?: string | undefined;
}

export interface LaunchDeps {
  readonly platforms: LtiPlatformRepository;
  readonly launches: LtiLaunchRepository;
  readonly platformKeys: PlatformKeys;
  readonly now: () => Date;
  readonly skewSeconds: number;
  readonly sessionTtlMs?: number;
  /**
   * When neither the state cookie nor platform storage can confirm the browser, accept the
   * single-use, short-lived state row alone (default). Off: such launches are refused, which
   * blocks login CSRF completely but fails in browsers that block third-party cookies on
   * platforms without storage.
   */
  readonly cookielessFallback?: boolean;
}

export type LaunchOutcome =
  | { readonly kind: 'session'; readonly session: SessionRecord; readonly platform: PlatformRecord }
  /** No state cookie came back, but the platform offered postMessage storage: check the state there first. */
  | { readonly kind: 'check-storage'; readonly state: string; readonly idToken: string; readonly target: string; readonly origin: string; readonly platform: PlatformRecord };

/**
 * `hasStateCookie`: the browser sent the cookie set at login for this state. `fromToolScript`: the
 * request carries STORAGE_CHECK_HEADER, which only our own page script can add (a cross-site form
 * cannot, and a cross-origin fetch with it fails CORS preflight), so storage values a forged form
 * carries are never trusted.
 */
export async function handleLaunch(params: LaunchParams, browser: { readonly hasStateCookie: boolean; readonly fromToolScript?: boolean }, deps: LaunchDeps): Promise<LaunchOutcome> {
  if (params.error) throw platformRefusal(params.error, params.error_description);
  const { state, id_token: idToken } = params;
  if (!state) throw new LtiError('LTI_STATE_MISSING', `The launch arrived without its login state. ${START_AGAIN}`, securityHint('no state parameter'));
  if (!idToken) throw new LtiError('LTI_TOKEN_MALFORMED', `The launch arrived without an id_token. ${START_AGAIN}`, securityHint('no id_token parameter'));
  const now = deps.now();
  const login = await deps.launches.loginState(state);
  if (!login) {
    // A consumed state whose nonce is recorded is a replay; say so rather than "unknown state".
    if (await nonceOfTokenWasUsed(idToken, deps.launches)) {
      throw new LtiError('LTI_NONCE_REPLAYED', `This launch link was already used. ${START_AGAIN}`, securityHint('a launch was replayed'));
    }
    throw new LtiError('LTI_STATE_UNKNOWN', `This launch does not match a login started here. ${START_AGAIN}`, securityHint('the state is not one the tool issued'));
  }
  if (login.expiresAt.getTime() < now.getTime()) {
    throw new LtiError('LTI_STATE_EXPIRED', `The login took too long and has expired. ${START_AGAIN}`);
  }
  const platform = await deps.platforms.byId(login.platformId);
  if (!platform) throw new LtiError('LTI_PLATFORM_UNKNOWN', 'The platform registration was removed during the launch.', 'Tell your LMS administrator: the registration was deleted in microcred.');

  const valid = await validateIdToken(idToken, {
    platform,
    nonce: login.nonce,
    loginTargetLinkUri: login.targetLinkUri,
    keyFor: (url, kid) => deps.platformKeys.keyFor(url, kid),
    now,
    skewSeconds: deps.skewSeconds,
  });

  if (!browser.hasStateCookie && !login.storageTarget && deps.cookielessFallback === false) {
    throw new LtiError(
      'LTI_STATE_MISMATCH',
      'Your browser did not keep the tool’s login cookie, so the tool cannot tell that this launch started in this browser.',
      'Open the tool in a new window, or allow cookies for this site. Admins: this installation refuses cookie-less launches (LTI_COOKIELESS_FALLBACK=off).',
    );
  }
  if (!browser.hasStateCookie && login.storageTarget) {
    if (params.storage_state === undefined && !browser.fromToolScript) {
      return { kind: 'check-storage', state, idToken, target: login.storageTarget, origin: new URL(platform.authUrl).origin, platform };
    }
    if (!browser.fromToolScript || params.storage_state !== state || params.storage_nonce !== login.nonce) {
      throw new LtiError('LTI_STATE_MISMATCH', `This launch was not started in this browser. ${START_AGAIN}`, securityHint('the state in platform storage differs'));
    }
  }

  const session = sessionFor(valid.claims, platform, valid.deploymentId, valid.messageType, now, deps.sessionTtlMs ?? SESSION_TTL_MS);
  try {
    // The nonce is remembered as long as the token could be replayed (plus the skew).
    const nonceExpiresAt = new Date(Math.max(valid.expiresAt.getTime(), now.getTime()) + deps.skewSeconds * 1000);
    await deps.launches.completeLaunch({ state, nonce: login.nonce, nonceExpiresAt, session });
  } catch (error) {
    if (error instanceof NonceReplayedError) throw new LtiError('LTI_NONCE_REPLAYED', `This launch link was already used. ${START_AGAIN}`, securityHint('a launch was replayed'));
    throw error;
  }
  return { kind: 'session', session, platform };
}

/** Only the state row decides whether this is a replay message; the token itself is not trusted here. */
async function nonceOfTokenWasUsed(idToken: string, launches: LtiLaunchRepository): Promise<boolean> {
  try {
    const { nonce } = decodeJwt(idToken);
    return typeof nonce === 'string' && (await launches.nonceUsed(nonce));
  } catch {
    return false;
  }
}

function sessionFor(claims: Readonly<Record<string, unknown>>, platform: PlatformRecord, deploymentId: string, messageType: string, now: Date, ttlMs: number): SessionRecord {
  const context = objectClaim(claims, CLAIM.context);
  const keep = [CLAIM.context, CLAIM.resourceLink, CLAIM.agsEndpoint, CLAIM.nrpsService, CLAIM.deepLinkingSettings, CLAIM.custom, CLAIM.launchPresentation, CLAIM.lti11LegacyUserId, CLAIM.toolPlatform];
  const launch: Record<string, unknown> = {};
  for (const name of ['name', 'given_name', 'family_name', 'email', ...keep]) if (claims[name] !== undefined) launch[name] = claims[name];
  return {
    id: randomBytes(24).toString('base64url'),
    csrfToken: randomBytes(24).toString('base64url'),
    platformId: platform.id,
    deploymentId,
    contextId: stringClaim(context, 'id') ?? null,
    userId: typeof claims.sub === 'string' ? claims.sub : '',
    roles: claims[CLAIM.roles] as string[],
    messageType,
    launch,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  };
}
