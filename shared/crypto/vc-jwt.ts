/**
 * VC-JOSE-COSE §3.1.1 (JOSE-secured credentials, `typ` vc+jwt) as profiled by Open Badges 3.0 §8.2: the JWT payload is the credential.
 * The issuer-signed JWT of an SD-JWT credential (§3.2, `typ` vc+sd-jwt) is verified here too.
 */
import { base64urlnopad } from '@scure/base';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { isJsonObject } from './did-document.ts';
import { CryptoError, cryptoFailure, type CryptoFailure } from './errors.ts';
import { algForJwk, publicJwkOf, type SigningAlg } from './keys.ts';

/** Largest compact VC-JWT decoded; matches the verifier's default input cap. */
export const MAX_VC_JWT_BYTES = 256 * 1024;
const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export interface DecodedVcJwt {
  readonly ok: true;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

export interface VerifiedVcJwt extends DecodedVcJwt {
  /** Deviations that do not invalidate the signature, e.g. `format.typ-missing`. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}

export interface VcJwtSigningKey {
  readonly privateJwk: JWK;
  readonly alg: SigningAlg;
  readonly kid: string;
}

/**
 * The JWT claims set of a credential: the credential itself plus the registered claims derived from
 * it, so JWT-only tooling reads the same facts. Throws VC_JWT_UNSIGNABLE for what must not be signed.
 */
export function vcJwtClaims(credential: Record<string, unknown>, now: Date = new Date()): Record<string, unknown> {
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : isJsonObject(credential.issuer) ? credential.issuer.id : undefined;
  if (typeof issuerId !== 'string' || issuerId === '') throw unsignable('The credential has no issuer id.');
  const nbf = epochSeconds(credential.validFrom);
  if (nbf === undefined) throw unsignable('The credential has no valid validFrom date.');
  const exp = credential.validUntil === undefined ? undefined : epochSeconds(credential.validUntil);
  if (credential.validUntil !== undefined && exp === undefined) throw unsignable('The credential has an invalid validUntil date.');
  if (carriesVcClaimWithV2Context(credential)) throw unsignable('A VC 2.0 credential must not carry a "vc" or "vp" member (VC-JOSE-COSE).');

  const claims: Record<string, unknown> = { ...credential, iss: issuerId, nbf, iat: Math.floor(now.getTime() / 1000) };
  if (typeof credential.id === 'string') claims.jti = credential.id;
  // VC 2.0 allows several subjects; `sub` can only name one, so it is set only when there is one.
  if (isJsonObject(credential.credentialSubject) && typeof credential.credentialSubject.id === 'string') claims.sub = credential.credentialSubject.id;
  if (exp !== undefined) claims.exp = exp;
  return claims;
}

/** The protected header of every VC-JWT we sign. */
export function vcJwtHeader(key: Pick<VcJwtSigningKey, 'alg' | 'kid'>): { alg: SigningAlg; kid: string; typ: 'vc+jwt'; cty: 'vc' } {
  return { alg: key.alg, kid: key.kid, typ: 'vc+jwt', cty: 'vc' };
}

/** Sign a credential with a JWK (imported on each call; batch signers import once and reuse vcJwtClaims). */
export async function signVcJwt(credential: Record<string, unknown>, key: VcJwtSigningKey, options: { now?: () => Date } = {}): Promise<string> {
  const claims = vcJwtClaims(credential, options.now?.());
  if (algForJwk(key.privateJwk) !== key.alg) throw new CryptoError('KEY_ALG_MISMATCH', `The signing key cannot be used with ${key.alg}.`);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(vcJwtHeader(key)).sign(await importJWK(key.privateJwk, key.alg));
}

/** Split and parse a compact JWS without checking its signature. */
export function decodeVcJwt(compact: string, maxBytes = MAX_VC_JWT_BYTES): DecodedVcJwt | CryptoFailure {
  if (compact.length > maxBytes) {
    return cryptoFailure('format.too-large', `The credential is larger than ${maxBytes} bytes.`, `${compact.length} characters`);
  }
  const parts = compact.split('.');
  if (parts.length !== 3) {
    return cryptoFailure('format.not-jws', 'This is not a signed credential token: a VC-JWT has three parts separated by dots.', `${parts.length} part(s)`);
  }
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeJsonPart(headerPart, 'header');
  if (!header.ok) return header;
  const payload = decodeJsonPart(payloadPart, 'payload');
  if (!payload.ok) return payload;
  if (!isBase64url(signaturePart)) return cryptoFailure('format.base64', 'The token is damaged: its signature is not base64url.');
  return { ok: true, header: header.value, payload: payload.value };
}

/**
 * Check that `publicJwk` signed `compact`. The only algorithm allowed is the one the key is for,
 * so `alg: none`, an HS256 token keyed with the public key bytes, and any other alg/key pairing
 * are refused before any cryptography runs.
 */
export async function verifyVcJwtSignature(compact: string, publicJwk: JWK, options: { mediaType?: 'vc+jwt' | 'vc+sd-jwt' } = {}): Promise<VerifiedVcJwt | CryptoFailure> {
  const mediaType = options.mediaType ?? 'vc+jwt';
  const decoded = decodeVcJwt(compact);
  if (!decoded.ok) return decoded;
  const { header, payload } = decoded;
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  if (alg?.toLowerCase() === 'none') return cryptoFailure('signature.alg-none', 'The credential is not signed (algorithm "none").');
  const expected = algForJwk(publicJwk);
  if (!expected) {
    return cryptoFailure('signature.unsupported-key', "The issuer's key is of a type this verifier does not support.", `kty ${String(publicJwk.kty)} crv ${String(publicJwk.crv)}`);
  }
  if (alg !== expected) {
    return cryptoFailure('signature.alg-mismatch', `The token says it was signed with ${alg ?? 'no algorithm'}, but the issuer's key signs with ${expected}.`);
  }

  const warnings: { code: string; message: string }[] = [];
  if (header.typ === undefined) {
    warnings.push({ code: 'format.typ-missing', message: `The token does not declare its type; VC-JOSE-COSE requires "${mediaType}".` });
  } else if (!isAcceptedTyp(header.typ, payload, mediaType)) {
    return cryptoFailure('format.typ', 'The token is not declared as a verifiable credential.', `typ ${JSON.stringify(header.typ)}, expected "${mediaType}"`);
  }
  if (carriesVcClaimWithV2Context(payload)) {
    return cryptoFailure('format.vc-claim', 'The credential mixes the VC 2.0 format with the older "vc" wrapper, which VC-JOSE-COSE forbids.');
  }

  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(publicJwkOf(publicJwk), expected);
  } catch (error) {
    return cryptoFailure('signature.key-invalid', "The issuer's published key is malformed.", (error as Error).message);
  }
  try {
    await compactVerify(compact, key, { algorithms: [expected] });
  } catch (error) {
    return cryptoFailure('signature.invalid', 'The signature does not match: the credential was changed after signing, or another key signed it.', (error as Error).message);
  }
  return { ok: true, header, payload, warnings };
}

/**
 * The expected media type (with or without `application/`, case-insensitive per RFC 7515 §4.1.9).
 * A VC 1.1 JWT (payload in `vc`, as older OB 3.0 §8.2 credentials are) legitimately says `JWT`.
 */
function isAcceptedTyp(typ: unknown, payload: Record<string, unknown>, expected: 'vc+jwt' | 'vc+sd-jwt'): boolean {
  if (typeof typ !== 'string') return false;
  const mediaType = typ.toLowerCase().replace(/^application\//, '');
  return mediaType === expected || (expected === 'vc+jwt' && mediaType === 'jwt' && isJsonObject(payload.vc) && !hasV2Context(payload));
}

function carriesVcClaimWithV2Context(payload: Record<string, unknown>): boolean {
  return ('vc' in payload || 'vp' in payload) && hasV2Context(payload);
}

function hasV2Context(payload: Record<string, unknown>): boolean {
  const context = payload['@context'];
  return context === VC_V2_CONTEXT || (Array.isArray(context) && context.includes(VC_V2_CONTEXT));
}

function decodeJsonPart(part: string, name: 'header' | 'payload'): { ok: true; value: Record<string, unknown> } | CryptoFailure {
  let bytes: Uint8Array;
  try {
    bytes = base64urlnopad.decode(part);
  } catch {
    return cryptoFailure('format.base64', `The token is damaged: its ${name} is not base64url.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return cryptoFailure('format.json', `The token is damaged: its ${name} is not JSON.`, (error as Error).message);
  }
  if (!isJsonObject(value)) return cryptoFailure('format.json', `The token is damaged: its ${name} is not a JSON object.`);
  return { ok: true, value };
}

function isBase64url(part: string): boolean {
  try {
    base64urlnopad.decode(part);
    return true;
  } catch {
    return false;
  }
}

function epochSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function unsignable(reason: string): CryptoError {
  return new CryptoError('VC_JWT_UNSIGNABLE', `${reason} It cannot be signed as a VC-JWT.`);
}
