/**
 * did:jwk Method Specification (DIF), "Read": the DID is `did:jwk:` + base64url(UTF-8 JSON of a
 * public JWK); its document has exactly one verification method, `<did>#0`.
 */
import { base64urlnopad } from '@scure/base';
import type { JWK } from 'jose';
import { isJsonObject } from './did-document.ts';
import { CryptoError } from './errors.ts';
import { publicJwkOf } from './keys.ts';

const PREFIX = 'did:jwk:';
/** A JWK is small; a longer identifier is refused before decoding. */
const MAX_DID_LENGTH = 4096;

export function jwkFromDidJwk(did: string): JWK {
  if (!did.startsWith(PREFIX) || did.length > MAX_DID_LENGTH || /[#?/]/.test(did)) throw invalid(`"${did.slice(0, 80)}" is not a did:jwk DID.`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(did.slice(PREFIX.length))));
  } catch {
    throw invalid('The did:jwk does not hold base64url-encoded JSON.');
  }
  if (!isJsonObject(value) || typeof value.kty !== 'string') throw invalid('The did:jwk does not hold a JWK.');
  // §"Read": a DID holding private key material is invalid.
  if ('d' in value) throw invalid('The did:jwk holds a private key.');
  return publicJwkOf(value as JWK);
}

export function didJwkFromJwk(jwk: JWK): string {
  return PREFIX + base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(publicJwkOf(jwk))));
}

function invalid(message: string): CryptoError {
  return new CryptoError('DID_KEY_INVALID', message);
}
