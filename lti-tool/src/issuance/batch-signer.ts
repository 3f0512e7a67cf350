/**
 * VC-JWT signing for batches of awards (VC-JOSE-COSE §3.1.1, OB 3.0 §8.2), with the private key
 * imported once per batch and node:crypto signing directly. Header and claims come from
 * shared/crypto/vc-jwt.ts, as signVcJwt's do; the difference is speed: signVcJwt imports the JWK on
 * every call and goes through WebCrypto, which halves throughput on the 10 kB credentials a full
 * EU definition yields.
 */
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { CryptoError } from '../../../shared/crypto/errors.ts';
import { algForJwk, type SigningAlg } from '../../../shared/crypto/keys.ts';
import { vcJwtClaims, vcJwtHeader, type VcJwtSigningKey } from '../../../shared/crypto/vc-jwt.ts';

export type CredentialSigner = (credential: Record<string, unknown>) => Promise<string>;

export function createBatchSigner(key: VcJwtSigningKey, options: { now?: () => Date } = {}): CredentialSigner {
  if (algForJwk(key.privateJwk) !== key.alg) throw new CryptoError('KEY_ALG_MISMATCH', `The signing key cannot be used with ${key.alg}.`);
  const keyObject = createPrivateKey({ key: key.privateJwk as JWK & { kty: string }, format: 'jwk' });
  const header = Buffer.from(JSON.stringify(vcJwtHeader(key))).toString('base64url');
  return async (credential) => {
    const claims = vcJwtClaims(credential, options.now?.());
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
