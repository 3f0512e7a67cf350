/**
 * VC-JWT signing for batches of awards (VC-JOSE-COSE §3.1.1, OB 3.0 §8.2), with the private key
 * imported once per batch and node:crypto signing directly. It produces exactly the header and
 * claims of shared/crypto/vc-jwt.ts signVcJwt (a test compares them); the difference is speed:
 * signVcJwt imports the JWK on every call and goes through WebCrypto, which halves throughput on
 * the 10 kB credentials a full EU definition yields.
 */
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { CryptoError } from '../../../shared/crypto/errors.ts';
import { algForJwk, type SigningAlg } from '../../../shared/crypto/keys.ts';
import { signVcJwt, type VcJwtSigningKey } from '../../../shared/crypto/vc-jwt.ts';

export type CredentialSigner = (credential: Record<string, unknown>) => Promise<string>;

export function createBatchSigner(key: VcJwtSigningKey, options: { now?: () => Date } = {}): CredentialSigner {
  if (algForJwk(key.privateJwk) !== key.alg) throw new CryptoError('KEY_ALG_MISMATCH', `The signing key cannot be used with ${key.alg}.`);
  const keyObject = createPrivateKey({ key: key.privateJwk as JWK & { kty: string }, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ: 'vc+jwt', cty: 'vc' })).toString('base64url');
  return async (credential) => {
    const claims = claimsOf(credential, options.now);
    // Anything signVcJwt would refuse, it refuses here the same way (and with the same error).
    if (!claims) return signVcJwt(credential, key, options);
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${signWith(key.alg, keyObject, Buffer.from(signingInput)).toString('base64url')}`;
  };
}

function signWith(alg: SigningAlg, key: KeyObject, data: Buffer): Buffer {
  if (alg === 'EdDSA') return nodeSign(null, data, key);
  // JWS ES256 signatures are the raw r||s pair (RFC 7518 §3.4), not DER.
  if (alg === 'ES256') return nodeSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return nodeSign('sha256', data, key);
}

/** The claims signVcJwt derives; undefined for a credential it would refuse (left to it to explain). */
function claimsOf(credential: Record<string, unknown>, now?: () => Date): Record<string, unknown> | undefined {
  const issuer = credential.issuer as { id?: unknown } | string | undefined;
  const issuerId = typeof issuer === 'string' ? issuer : typeof issuer === 'object' && issuer !== null && !Array.isArray(issuer) ? issuer.id : undefined;
  const nbf = seconds(credential.validFrom);
  const exp = credential.validUntil === undefined ? undefined : seconds(credential.validUntil);
  if (typeof issuerId !== 'string' || issuerId === '' || nbf === undefined || (credential.validUntil !== undefined && exp === undefined) || 'vc' in credential || 'vp' in credential) return undefined;
  const claims: Record<string, unknown> = { ...credential, iss: issuerId, nbf, iat: Math.floor((now?.() ?? new Date()).getTime() / 1000) };
  if (typeof credential.id === 'string') claims.jti = credential.id;
  const subject = credential.credentialSubject as Record<string, unknown> | undefined;
  if (typeof subject === 'object' && subject !== null && !Array.isArray(subject) && typeof subject.id === 'string') claims.sub = subject.id;
  if (exp !== undefined) claims.exp = exp;
  return claims;
}

function seconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
