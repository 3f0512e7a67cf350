/**
 * LTI 1.3 Core §5.1.1 / Security Framework §5.1.1: OIDC third-party initiated login. Finds the
 * registration (issuer + client_id), stores a fresh state and nonce, and answers with the
 * authentication request to the platform, by redirect or, when the platform offers Client Side
 * postMessage storage (`lti_storage_target`), through a page that stores state and nonce there first.
 */
import { randomBytes } from 'node:crypto';
import type { LtiLaunchRepository } from '../store/lti-launch-repository.ts';
import type { LtiPlatformRepository, PlatformRecord } from '../store/lti-platform-repository.ts';
import { LtiError } from './errors.ts';

export const LOGIN_STATE_TTL_MS = 10 * 60_000;
/** Cookie per login: several launches in several tabs must not overwrite each other's state. */
export const stateCookieName = (state: string) => `lti1p3_${state}`;
const STORAGE_TARGET = /^[A-Za-z0-9_-]{1,64}$/;

export interface LoginParams {
  readonly iss?: string | undefined;
  readonly login_hint?: string | undefined;
  readonly target_link_uri?: string | undefined;
  readonly lti_message_hint?: string | undefined;
  readonly client_id?: string | undefined;
  readonly lti_deployment_id?: string | undefined;
  readonly lti_storage_target?: string | undefined;
}

export interface LoginAnswer {
  /** The platform's authentication request URL (GET). */
  readonly redirectUrl: string;
  readonly state: string;
  readonly nonce: string;
  readonly platform: PlatformRecord;
  /** Present when the platform offered postMessage storage: put state and nonce there before redirecting. */
  readonly storage?: { readonly target: string; readonly origin: string };
}

export interface LoginDeps {
  readonly publicUrl: string;
  readonly platforms: LtiPlatformRepository;
  readonly launches: LtiLaunchRepository;
  readonly now: () => Date;
}

export const launchUrl = (publicUrl: string) => `${publicUrl}/lti/launch`;

export async function initiateLogin(params: LoginParams, deps: LoginDeps): Promise<LoginAnswer> {
  const { iss, login_hint: loginHint, target_link_uri: targetLinkUri } = params;
  if (!iss || !loginHint || !targetLinkUri) {
    const missing = ['iss', 'login_hint', 'target_link_uri'].filter((name) => !params[name as keyof LoginParams]);
    throw new LtiError('LTI_LOGIN_INVALID', 'The LMS started the tool without the information an LTI 1.3 login needs.', `Tell your LMS administrator: the login request lacks ${missing.join(', ')}.`);
  }
  const platform = await findPlatform(iss, params.client_id, deps.platforms);
  if (!isOurUrl(targetLinkUri, deps.publicUrl)) {
    throw new LtiError(
      'LTI_TARGET_LINK_URI_INVALID',
      'The LMS tried to open an address that does not belong to this tool.',
      `Tell your LMS administrator: target_link_uri "${targetLinkUri}" is not under ${deps.publicUrl}; check the tool's target link URI in the registration.`,
    );
  }
  if (params.lti_deployment_id && !platform.deploymentIds.includes(params.lti_deployment_id)) {
    throw unknownDeployment(platform, params.lti_deployment_id);
  }
  const storageTarget = params.lti_storage_target && STORAGE_TARGET.test(params.lti_storage_target) ? params.lti_storage_target : undefined;
  const state = randomBytes(24).toString('base64url');
  const nonce = randomBytes(24).toString('base64url');
  const now = deps.now();
  await deps.launches.saveLoginState(
    { state, nonce, platformId: platform.id, targetLinkUri, storageTarget: storageTarget ?? null, expiresAt: new Date(now.getTime() + LOGIN_STATE_TTL_MS) },
    now,
  );
  const url = new URL(platform.authUrl);
  const query: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: launchUrl(deps.publicUrl),
    login_hint: loginHint,
    lti_message_hint: params.lti_message_hint,
    state,
    nonce,
  };
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
  return { redirectUrl: url.toString(), state, nonce, platform, ...(storageTarget ? { storage: { target: storageTarget, origin: new URL(platform.authUrl).origin } } : {}) };
}

async function findPlatform(issuer: string, clientId: string | undefined, platforms: LtiPlatformRepository): Promise<PlatformRecord> {
  if (clientId) {
    const platform = await platforms.byIssuerAndClientId(issuer, clientId);
    if (platform) return platform;
  } else {
    // Without client_id only an issuer with a single registration is unambiguous.
    const candidates = await platforms.byIssuer(issuer);
    if (candidates.length === 1) return candidates[0]!;
  }
  throw new LtiError(
    'LTI_PLATFORM_UNKNOWN',
    'This LMS is not registered with the tool yet.',
    `Tell your LMS administrator: microcred has no registration for issuer "${issuer}"${clientId ? ` and client id "${clientId}"` : ' (and the LMS sent no client_id)'}. Register the tool by Dynamic Registration, on the microcred admin page, or with "microcred platform add".`,
  );
}

export function unknownDeployment(platform: PlatformRecord, deploymentId: string): LtiError {
  return new LtiError(
    'LTI_DEPLOYMENT_UNKNOWN',
    'This installation of the tool is not registered with microcred yet.',
    `Tell your LMS administrator: deployment id "${deploymentId}" of ${platform.name} (client id ${platform.clientId}) is not registered in microcred. Add it on the microcred admin page or with "microcred platform add --issuer ${platform.issuer} --client-id ${platform.clientId} --deployment-id ${deploymentId} ...".`,
  );
}

function isOurUrl(candidate: string, publicUrl: string): boolean {
  try {
    const url = new URL(candidate);
    const base = new URL(publicUrl);
    return url.origin === base.origin && (url.pathname === base.pathname || url.pathname.startsWith(`${base.pathname.replace(/\/$/, '')}/`));
  } catch {
    return false;
  }
}
