/**
 * LTI 1.3 Core §5.1.3 and 1EdTech Security Framework §5.1.3: authentication response (id_token)
 * validation, every step, each failure with its own code. Only RS256 is accepted (the platform
 * signs with RSA; `none`, HS256 and other algorithms would let a forger choose the key).
 */
import type { JWK } from 'jose';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { CLAIM, MESSAGE_TYPES, objectClaim, stringClaim, type LaunchClaims, type LaunchMessageType } from './claims.ts';
import { LtiError, START_AGAIN, securityHint } from './errors.ts';
import { unknownDeployment } from './login.ts';
import { parseCompactJws, verifyRs256 } from './rs256-jws.ts';

export const LAUNCH_ALGORITHMS = ['RS256'] as const;

export interface IdTokenExpectations {
  readonly platform: PlatformRecord;
  /** The nonce sent with this state at login. */
  readonly nonce: string;
  /** The target_link_uri received at login. */
  readonly loginTargetLinkUri: string;
  readonly keyFor: (jwksUrl: string, kid: string) => Promise<JWK>;
  /**
   * Whether the nonce was already used. Optional: when the nonce comes from a live login state it
   * cannot have been (state and nonce are consumed in one transaction, which also refuses a race).
   */
  readonly nonceUsed?: (nonce: string) => Promise<boolean>;
  readonly now: Date;
  /** Allowed clock difference for exp and iat, in seconds. */
  readonly skewSeconds: number;
}

export interface ValidLaunch {
  readonly claims: LaunchClaims;
  readonly messageType: LaunchMessageType;
  readonly deploymentId: string;
  readonly expiresAt: Date;
}

const fail = (code: ConstructorParameters<typeof LtiError>[0], message: string, detail: string) => new LtiError(code, message, securityHint(detail));

export async function validateIdToken(idToken: string, expected: IdTokenExpectations): Promise<ValidLaunch> {
  const { platform } = expected;
  const parsed = parseCompactJws(idToken);
  if (!parsed.ok) {
    throw fail('LTI_TOKEN_MALFORMED', `The launch did not carry a readable id_token. ${START_AGAIN}`, parsed.problem === 'crit' ? 'the id_token header names critical extensions (crit) the tool does not support' : 'the id_token is not a JWT');
  }
  const { jws } = parsed;
  const { header } = jws;
  if (typeof header.alg !== 'string' || !(LAUNCH_ALGORITHMS as readonly string[]).includes(header.alg)) {
    throw fail('LTI_ALG_NOT_ALLOWED', 'The launch was not signed the way LTI 1.3 requires.', `id_token algorithm "${String(header.alg)}" where RS256 is required`);
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw fail('LTI_KID_MISSING', 'The launch does not say which platform key signed it.', 'the id_token header has no kid');
  }

  const jwk = await expected.keyFor(platform.jwksUrl, header.kid);
  if (!verifyRs256(jws, jwk)) {
    throw fail('LTI_SIGNATURE_INVALID', 'The launch’s signature is not valid: it was changed or not signed by your platform.', `bad signature for kid "${header.kid}"`);
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(jws.payload.toString('utf8')) as Record<string, unknown>;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new Error('not an object');
  } catch {
    throw fail('LTI_TOKEN_MALFORMED', 'The launch’s content could not be read.', 'the id_token payload is not a JSON object');
  }

  if (claims.iss !== platform.issuer) {
    throw fail('LTI_ISS_MISMATCH', 'The launch came from a different platform than the one that started it.', `iss "${String(claims.iss)}" where "${platform.issuer}" was expected`);
  }
  checkAudience(claims, platform);
  checkTimes(claims, expected.now, expected.skewSeconds);

  if (claims.nonce !== expected.nonce) {
    throw fail('LTI_NONCE_MISMATCH', `This launch does not belong to the login that started it. ${START_AGAIN}`, 'the id_token nonce differs from the one sent at login');
  }
  if (expected.nonceUsed && (await expected.nonceUsed(expected.nonce))) {
    throw new LtiError('LTI_NONCE_REPLAYED', `This launch link was already used. ${START_AGAIN}`, securityHint('a nonce was used twice'));
  }

  const deploymentId = claims[CLAIM.deploymentId];
  if (typeof deploymentId !== 'string' || deploymentId === '') {
    throw new LtiError('LTI_DEPLOYMENT_MISSING', 'The launch does not say which installation of the tool it is for.', securityHint('no deployment_id claim'));
  }
  if (!platform.deploymentIds.includes(deploymentId)) {
    throw unknownDeployment(platform, deploymentId);
  }
  const messageType = claims[CLAIM.messageType];
  if (!(MESSAGE_TYPES as readonly unknown[]).includes(messageType)) {
    throw fail('LTI_MESSAGE_TYPE_UNSUPPORTED', 'The platform asked the tool for something it does not offer.', `message_type "${String(messageType)}" (supported: ${MESSAGE_TYPES.join(', ')})`);
  }
  if (claims[CLAIM.version] !== '1.3.0') {
    throw fail('LTI_VERSION_UNSUPPORTED', 'The launch does not use LTI version 1.3.0.', `version claim "${String(claims[CLAIM.version])}"`);
  }
  const targetLinkUri = claims[CLAIM.targetLinkUri];
  if (typeof targetLinkUri !== 'string' || targetLinkUri !== expected.loginTargetLinkUri) {
    throw fail('LTI_TARGET_LINK_URI_MISMATCH', 'The launch points somewhere else than the login that started it.', `target_link_uri "${String(targetLinkUri)}" where "${expected.loginTargetLinkUri}" was expected`);
  }
  if (!Array.isArray(claims[CLAIM.roles]) || !(claims[CLAIM.roles] as unknown[]).every((r) => typeof r === 'string')) {
    throw fail('LTI_ROLES_MISSING', 'The launch does not say what role you have in the course.', 'no roles claim (an array, possibly empty, is required)');
  }
  checkMessageClaims(claims, messageType as LaunchMessageType);
  return { claims: claims as LaunchClaims, messageType: messageType as LaunchMessageType, deploymentId, expiresAt: new Date((claims.exp as number) * 1000) };
}

/** Security Framework §5.1.3 steps 3–5: aud (string or array) must contain our client_id; azp when present or when several audiences. */
function checkAudience(claims: Record<string, unknown>, platform: PlatformRecord): void {
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  if (!audiences.includes(platform.clientId)) {
    const moodle = stringClaim(objectClaim(claims, CLAIM.toolPlatform), 'product_family_code') === 'moodle';
    if (moodle && typeof aud === 'string') {
      // Moodle sends an activity's legacy LTI 1.1 "resource key" as aud when one is set (notes/moodle-lti.md).
      throw new LtiError(
        'LTI_AUD_LEGACY_RESOURCE_KEY',
        'This activity is set up with an old LTI 1.1 consumer key, so Moodle addressed the launch to the wrong tool.',
        `Tell your Moodle administrator or teacher: the launch was addressed to "${aud}" instead of the tool's client id "${platform.clientId}". Clear the legacy "Consumer key"/resource key in the activity's settings (or re-create the activity with the LTI 1.3 tool).`,
      );
    }
    throw fail('LTI_AUD_MISMATCH', 'The launch was addressed to a different tool.', `aud ${JSON.stringify(aud)} does not contain client id "${platform.clientId}"`);
  }
  const azp = claims.azp;
  if ((azp !== undefined || audiences.length > 1) && azp !== platform.clientId) {
    throw fail('LTI_AZP_MISMATCH', 'The launch was authorised for a different tool.', `azp ${JSON.stringify(azp)} where "${platform.clientId}" was expected`);
  }
}

/** Security Framework §5.1.3 steps 7–8, with a small configurable skew (Moodle's tokens live 60 s). */
function checkTimes(claims: Record<string, unknown>, now: Date, skewSeconds: number): void {
  const nowSeconds = now.getTime() / 1000;
  for (const name of ['exp', 'iat'] as const) {
    if (typeof claims[name] !== 'number' || !Number.isFinite(claims[name])) {
      throw fail('LTI_CLAIM_MISSING', 'The launch does not say when it was issued or until when it is valid.', `no numeric ${name} claim`);
    }
  }
  if ((claims.exp as number) + skewSeconds < nowSeconds) {
    throw fail('LTI_TOKEN_EXPIRED', `This launch has expired. ${START_AGAIN}`, `exp ${String(claims.exp)} is before now (${Math.floor(nowSeconds)}) minus ${skewSeconds} s; check the platform's clock`);
  }
  if ((claims.iat as number) - skewSeconds > nowSeconds) {
    throw fail('LTI_IAT_IN_FUTURE', 'This launch claims to have been issued in the future.', `iat ${String(claims.iat)} is after now (${Math.floor(nowSeconds)}) plus ${skewSeconds} s; check the platform's clock`);
  }
}

/** LTI 1.3 Core §5.3.5 (resource_link.id) and Deep Linking 2.0 §4.4.1 (deep_link_return_url). */
function checkMessageClaims(claims: Record<string, unknown>, messageType: LaunchMessageType): void {
  if (messageType === 'LtiResourceLinkRequest' && !stringClaim(objectClaim(claims, CLAIM.resourceLink), 'id')) {
    throw fail('LTI_CLAIM_MISSING', 'The launch does not say which course activity it is for.', 'no resource_link.id claim');
  }
  if (messageType === 'LtiDeepLinkingRequest' && !stringClaim(objectClaim(claims, CLAIM.deepLinkingSettings), 'deep_link_return_url')) {
    throw fail('LTI_CLAIM_MISSING', 'The platform did not say where to send the chosen content.', 'no deep_linking_settings.deep_link_return_url claim');
  }
}
