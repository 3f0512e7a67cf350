/** RFC 7517 §5 JWK Set: the keys an issuer publishes, and finding one by kid (RFC 7638 thumbprint as the last resort). */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import type { JWK } from 'jose';
import { isJsonObject } from './did-document.ts';
import { publicJwkOf, type SigningAlg } from './keys.ts';

/** A SHA-256 RFC 7638 thumbprint in base64url: what our key ids end with. */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** RFC 7638 §3.2 required members per key type, in the lexicographic order the hash input uses. */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

export function buildJwks(keys: readonly { kid: string; publicJwk: JWK; alg: SigningAlg }[]): { keys: JWK[] } {
  return { keys: keys.map(({ kid, publicJwk, alg }) => ({ ...publicJwkOf(publicJwk), kid, alg, use: 'sig' })) };
}

/**
 * The entry of a (possibly malformed) JWK Set that `kid` names: the exact kid, else the same
 * fragment (a DID URL or key URL whose `#frag` is the JWKS kid, or the reverse), else, when the
 * fragment is a bare thumbprint, the key with that RFC 7638 thumbprint. The entry is returned as
 * published; callers strip it to public members.
 */
export function findJwk(jwks: unknown, kid: string): JWK | undefined {
  if (!isJsonObject(jwks) || !Array.isArray(jwks.keys)) return undefined;
  const keys = jwks.keys.filter((entry): entry is JWK => isJsonObject(entry) && typeof entry.kty === 'string');
  const exact = keys.find((key) => key.kid === kid);
  if (exact) return exact;
  const fragment = fragmentOf(kid);
  const sameFragment = keys.find((key) => typeof key.kid === 'string' && fragmentOf(key.kid) === fragment);
  if (sameFragment) return sameFragment;
  if (!THUMBPRINT.test(fragment)) return undefined;
  return keys.find((key) => jwkThumbprintSync(key) === fragment);
}

/** RFC 7638 SHA-256 thumbprint, synchronously (jose's is async), so lookups stay plain functions. */
export function jwkThumbprintSync(jwk: JWK): string | undefined {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''];
  if (!members) return undefined;
  const canonical: Record<string, unknown> = {};
  for (const member of members) {
    const value = (jwk as Record<string, unknown>)[member];
    if (typeof value !== 'string') return undefined;
    canonical[member] = value;
  }
  return base64urlnopad.encode(sha256(new TextEncoder().encode(JSON.stringify(canonical))));
}

function fragmentOf(id: string): string {
  return id.slice(id.lastIndexOf('#') + 1);
}
