/**
 * RS256 compact JWS (RFC 7515 §7.1 serialization, RFC 7518 §3.3 RSASSA-PKCS1-v1_5 with SHA-256)
 * for the id_token check, written over node:crypto rather than jose's compactVerify: jose verifies
 * through WebCrypto, which on Node costs about 0.25 ms per id_token against 0.05 ms for
 * crypto.verify with a cached KeyObject (measured for the issue 3 launch benchmark). It does only
 * what a launch needs: three base64url parts, a JSON object header, no `crit` extensions (RFC 7515
 * §4.1.11: an extension we do not understand must be refused), an RSA key of at least 2048 bits.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

/** Base64url without padding (RFC 7515 §2); the signature part may be empty (alg "none"), so the caller can name that refusal. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const MIN_RSA_BITS = 2048;

export interface CompactJws {
  readonly header: Readonly<Record<string, unknown>>;
  /** The payload's bytes, decoded; trusted only after verifyRs256 said yes. */
  readonly payload: Buffer;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

export type JwsParseProblem = 'not-compact' | 'crit';

/** Splits and decodes a compact JWS; says why when it is not one the tool can check. */
export function parseCompactJws(token: string): { ok: true; jws: CompactJws } | { ok: false; problem: JwsParseProblem } {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)) || parts[0] === '' || parts[1] === '') return { ok: false, problem: 'not-compact' };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'not-compact' };
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return { ok: false, problem: 'not-compact' };
  if ('crit' in header) return { ok: false, problem: 'crit' };
  return {
    ok: true,
    jws: {
      header: header as Record<string, unknown>,
      payload: Buffer.from(parts[1]!, 'base64url'),
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'),
      signature: Buffer.from(parts[2]!, 'base64url'),
    },
  };
}

/** Imported platform keys, per published JWK object (PlatformKeys keeps those objects while the set is cached). */
const importedKeys = new WeakMap<JWK, KeyObject>();

/** The RSA public key of a JWK; throws when the JWK is not an RSA key of at least 2048 bits. */
function rsaPublicKey(jwk: JWK): KeyObject {
  let key = importedKeys.get(jwk);
  if (!key) {
    // Only the public members go in: a JWK that also carried "d" must not become a private key here.
    if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('not an RSA public key');
    key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw new Error(`an RSA key of at least ${MIN_RSA_BITS} bits is required`);
    importedKeys.set(jwk, key);
  }
  return key;
}

/** True when `jws` carries a valid RS256 signature by `jwk`; false for a wrong signature or an unusable key. */
export function verifyRs256(jws: CompactJws, jwk: JWK): boolean {
  try {
    return verify('sha256', jws.signingInput, rsaPublicKey(jwk), jws.signature);
  } catch {
    return false;
  }
}
