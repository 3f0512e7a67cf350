/**
 * Signing keys for issuers and the LTI tool: generation, JWK import/export and RFC 7638
 * thumbprints, all through jose so that the same code runs in Node and in browsers.
 * Ed25519 (EdDSA, RFC 8037) is the default; P-256 (ES256) and RSA (RS256) are supported.
 * Verification also accepts P-384 (ES384), which other issuers sign with.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export type SigningAlg = 'EdDSA' | 'ES256' | 'RS256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['EdDSA', 'ES256', 'RS256'];
/** What the verifier accepts: our signing algorithms plus ES384 (P-384), which we read but do not issue. */
export type VerifyingAlg = SigningAlg | 'ES384';

export interface SigningKeyPair {
  /** RFC 7638 thumbprint of the public key; used as the key id fragment. */
  readonly thumbprint: string;
  readonly alg: SigningAlg;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

export async function generateSigningKey(alg: SigningAlg = 'EdDSA'): Promise<SigningKeyPair> {
  const options = alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return { thumbprint: await calculateJwkThumbprint(publicJwk), alg, publicJwk, privateJwk };
}

/** The algorithm a public JWK is used with; undefined for key types we do not sign or verify with. */
export function algForJwk(jwk: JWK): VerifyingAlg | undefined {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'RSA') return 'RS256';
  return undefined;
}

/** Only the public members of a JWK (drops d, p, q, dp, dq, qi, and anything private). */
export function publicJwkOf(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk;
  const out: JWK = { kty };
  if (crv !== undefined) out.crv = crv;
  if (x !== undefined) out.x = x;
  if (y !== undefined) out.y = y;
  if (n !== undefined) out.n = n;
  if (e !== undefined) out.e = e;
  return out;
}

export async function importSigningKey(privateJwk: JWK, alg: SigningAlg) {
  return importJWK(privateJwk, alg);
}

export const jwkThumbprint = (jwk: JWK): Promise<string> => calculateJwkThumbprint(publicJwkOf(jwk));
