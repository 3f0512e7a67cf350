/** DID Core 1.0 §5.2 verification methods and §5.3.2 assertionMethod: the documents we publish, and lookups in fetched ones. */
import type { JWK } from 'jose';
import { publicJwkOf } from './keys.ts';

export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';

export interface VerificationMethod {
  readonly id: string;
  readonly type: string;
  readonly controller: string;
  readonly publicKeyJwk?: JWK;
  readonly publicKeyMultibase?: string;
}

export interface DidDocument {
  readonly '@context': readonly string[];
  readonly id: string;
  readonly verificationMethod: readonly VerificationMethod[];
  readonly assertionMethod: readonly string[];
  readonly authentication: readonly string[];
}

/** A document in which every key may sign credentials (assertionMethod) and authenticate. */
export function didDocumentWithKeys(did: string, keys: readonly { id: string; publicJwk: JWK }[]): DidDocument {
  const verificationMethod = keys.map((key) => ({
    id: key.id,
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: publicJwkOf(key.publicJwk),
  }));
  const ids = verificationMethod.map((method) => method.id);
  return { '@context': [DID_CONTEXT, JWS_2020_CONTEXT], id: did, verificationMethod, assertionMethod: ids, authentication: [...ids] };
}

/**
 * The absolute DID URL a key id names when read against `did`: `#frag` and a bare `frag` are
 * relative to it. Undefined when the id belongs to another DID or is not a DID URL at all, so a
 * caller can refuse keys the DID's controller never vouched for.
 */
export function absoluteKeyId(did: string, kid: string): string | undefined {
  if (kid.startsWith('#')) return did + kid;
  if (kid.startsWith('did:')) return kid.split('#')[0] === did ? kid : undefined;
  if (kid.includes(':') || kid.includes('/')) return undefined;
  return `${did}#${kid}`;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The verification method whose id is `keyId`, read against the document's base (its `id`).
 * DID Core lets a relationship embed a method instead of referencing one, so assertionMethod is
 * searched as well as verificationMethod.
 */
export function findVerificationMethod(document: Record<string, unknown>, keyId: string, base: string): Record<string, unknown> | undefined {
  const candidates = [...arrayOf(document.verificationMethod), ...arrayOf(document.assertionMethod)];
  return candidates.find((entry): entry is Record<string, unknown> => isJsonObject(entry) && typeof entry.id === 'string' && resolveAgainst(base, entry.id) === keyId);
}

/** True when the document authorizes `keyId` to assert (sign credentials); a document without assertionMethod restricts nothing. */
export function isAssertionMethod(document: Record<string, unknown>, keyId: string, base: string): boolean {
  if (!Array.isArray(document.assertionMethod)) return true;
  return document.assertionMethod.some((entry) => {
    const id = typeof entry === 'string' ? entry : isJsonObject(entry) ? entry.id : undefined;
    return typeof id === 'string' && resolveAgainst(base, id) === keyId;
  });
}

function resolveAgainst(base: string, id: string): string {
  return id.startsWith('#') ? base + id : id;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
