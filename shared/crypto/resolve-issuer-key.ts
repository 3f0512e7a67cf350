/**
 * VC-JOSE-COSE §3.3 key discovery, with DID Core §5.3.2 (assertionMethod) and OB 3.0 §8.2.4:
 * the public key a credential's `kid` names, accepted only when the issuer controls it.
 */
import type { JWK } from 'jose';
import type { DocumentSource } from '../net/document-source.ts';
import { absoluteKeyId, findVerificationMethod, isAssertionMethod, isJsonObject } from './did-document.ts';
import { jwkFromDidJwk } from './did-jwk.ts';
import { jwkFromDidKey, jwkFromMultibase } from './did-key.ts';
import { didWebToDocumentUrl } from './did-web.ts';
import { cryptoFailure, type CryptoFailure } from './errors.ts';
import { findProfileKey } from './issuer-profile-keys.ts';
import { findJwk, jwkThumbprintSync } from './jwks.ts';
import { algForJwk, publicJwkOf } from './keys.ts';

export interface ResolvedIssuerKey {
  readonly ok: true;
  /** The absolute key id (a DID URL for DID issuers). */
  readonly kid: string;
  /** Public members only. */
  readonly jwk: JWK;
  /** Who vouches for the key: the issuer's DID or web origin identifier. */
  readonly controller: string;
}

export interface ResolveIssuerKeyArgs {
  readonly kid: string | undefined;
  /**
   * A `jwk` from the JOSE header. It is never trusted by itself: it only selects (by RFC 7638
   * thumbprint) one of the issuer's own keys when there is no kid, and must match the key the kid
   * names when there is one.
   */
  readonly headerJwk?: JWK;
  readonly issuerId: string;
  readonly documents: JsonDocuments;
}

/** Key discovery reads JSON only; any DocumentSource will do. */
type JsonDocuments = Pick<DocumentSource, 'getJson'>;

const WEB_URL = /^https?:\/\//i;

export async function resolveIssuerKey({ kid, headerJwk, issuerId, documents }: ResolveIssuerKeyArgs): Promise<ResolvedIssuerKey | CryptoFailure> {
  const headerThumbprint = headerJwk ? jwkThumbprintSync(headerJwk) : undefined;
  if (headerJwk && !headerThumbprint) return cryptoFailure('key.jwk-invalid', 'The key embedded in the token header is malformed.');
  const lookup = kid ?? headerThumbprint;
  if (!lookup) return cryptoFailure('key.kid-missing', 'The credential does not say which key signed it (no key id).');
  const resolved = await resolveByKeyId(lookup, issuerId, documents);
  if (resolved.ok && headerThumbprint && jwkThumbprintSync(resolved.jwk) !== headerThumbprint) {
    return cryptoFailure('key.jwk-not-issuers', "The key embedded in the token header is not the issuer's key named by the token.", `header jwk thumbprint ${headerThumbprint}`);
  }
  return resolved;
}

async function resolveByKeyId(kid: string, issuerId: string, documents: JsonDocuments): Promise<ResolvedIssuerKey | CryptoFailure> {
  if (issuerId.startsWith('did:')) return resolveDidIssuerKey(kid, issuerId, documents);
  if (WEB_URL.test(issuerId)) return resolveWebIssuerKey(kid, issuerId, documents);
  return cryptoFailure('key.unsupported-method', `The issuer "${issuerId}" is neither a DID nor a web address, so its keys cannot be looked up.`);
}

async function resolveDidIssuerKey(kid: string, did: string, documents: JsonDocuments): Promise<ResolvedIssuerKey | CryptoFailure> {
  const keyId = absoluteKeyId(did, kid);
  if (!keyId) return notIssuers(kid, did);
  const method = did.split(':')[1];
  if (method === 'key') {
    // A did:key has exactly one key, whose fragment is the DID's own multibase value.
    const onlyKeyId = `${did}#${did.slice('did:key:'.length)}`;
    let jwk: JWK;
    try {
      jwk = didKeyJwkCached(did);
    } catch (error) {
      return cryptoFailure('key.unresolvable', `The issuer's identifier ${did} is not a valid did:key.`, (error as Error).message);
    }
    if (keyId !== did && keyId !== onlyKeyId && keyId !== `${did}#${jwkThumbprintSync(jwk) ?? ''}`) return unknownKid(kid, did);
    return accept(onlyKeyId, jwk, did);
  }
  if (method === 'jwk') {
    let jwk: JWK;
    try {
      jwk = jwkFromDidJwk(did);
    } catch (error) {
      return cryptoFailure('key.unresolvable', "The issuer's identifier is not a valid did:jwk.", (error as Error).message);
    }
    // did:jwk: the one method is `#0`; a bare thumbprint of that key names it too.
    if (keyId !== did && keyId !== `${did}#0` && keyId !== `${did}#${jwkThumbprintSync(jwk) ?? ''}`) return unknownKid(kid, did);
    return accept(`${did}#0`, jwk, did);
  }
  if (method === 'web') return resolveDidWebKey(keyId, did, documents);
  return cryptoFailure('key.unsupported-method', `The issuer uses did:${method ?? ''}, which this verifier cannot resolve (it supports did:key, did:jwk and did:web).`);
}

async function resolveDidWebKey(keyId: string, did: string, documents: JsonDocuments): Promise<ResolvedIssuerKey | CryptoFailure> {
  let url: string;
  try {
    url = didWebToDocumentUrl(did);
  } catch (error) {
    return cryptoFailure('key.unresolvable', `The issuer's identifier ${did} is not a valid did:web.`, (error as Error).message);
  }
  const fetched = await documents.getJson(url);
  if (!fetched.ok) return cryptoFailure('key.unresolvable', fetched.message, `${fetched.code} ${url}`);
  const document = fetched.value;
  // did:web Read (Resolve): the document must be the one for the DID being resolved.
  if (!isJsonObject(document) || document.id !== did) {
    const found = isJsonObject(document) && typeof document.id === 'string' ? document.id : 'no DID';
    return cryptoFailure('key.did-mismatch', `The DID document at ${url} is not the issuer's: it describes ${found}, not ${did}.`);
  }
  return keyFromDocument(document, keyId, did, did, url);
}

async function resolveWebIssuerKey(kid: string, issuerId: string, documents: JsonDocuments): Promise<ResolvedIssuerKey | CryptoFailure> {
  const origin = originOf(issuerId);
  if (!origin) return cryptoFailure('key.unresolvable', `The issuer's id ${issuerId} is not a valid web address.`);
  if (kid.startsWith('did:')) return notIssuers(kid, issuerId);
  if (!WEB_URL.test(kid)) {
    const jwksUrl = `${origin}/.well-known/jwks.json`;
    const fetched = await documents.getJson(jwksUrl);
    const jwk = fetched.ok ? findJwk(fetched.value, kid) : undefined;
    if (jwk) return accept(kid, jwk, issuerId);
    // No JWKS, or not in it: the issuer's own profile document may list the key.
    const fromProfile = await keyFromProfileAt(issuerId, kid, issuerId, documents);
    if (fromProfile) return fromProfile;
    if (!fetched.ok) return cryptoFailure('key.unresolvable', fetched.message, `${fetched.code} ${jwksUrl}`);
    return unknownKid(kid, jwksUrl);
  }
  if (originOf(kid) !== origin) return notIssuers(kid, issuerId);
  // A key URL may name a JWK, a JWK Set, or a document with verification methods.
  const documentUrl = kid.split('#')[0] ?? kid;
  const fetched = await documents.getJson(documentUrl);
  if (!fetched.ok) return cryptoFailure('key.unresolvable', fetched.message, `${fetched.code} ${documentUrl}`);
  const document = fetched.value;
  if (!isJsonObject(document)) return unknownKid(kid, documentUrl);
  if (Array.isArray(document.keys)) {
    const jwk = findJwk(document, kid);
    return jwk ? accept(kid, jwk, issuerId) : unknownKid(kid, documentUrl);
  }
  if (typeof document.kty === 'string') return accept(kid, document as JWK, issuerId);
  const base = typeof document.id === 'string' ? document.id : documentUrl;
  const fromMethods = keyFromDocument(document, kid, base, issuerId, documentUrl);
  if (fromMethods.ok || fromMethods.code !== 'key.unknown-kid') return fromMethods;
  // A key URL not found as a method: accepted only when the issuer's own profile lists it (OB 2.0 CryptographicKey style).
  return (await keyFromProfileAt(issuerId, kid, issuerId, documents)) ?? fromMethods;
}

async function keyFromProfileAt(url: string, kid: string, issuerId: string, documents: JsonDocuments): Promise<ResolvedIssuerKey | undefined> {
  const fetched = await documents.getJson(url);
  if (!fetched.ok || !isJsonObject(fetched.value)) return undefined;
  const found = await findProfileKey(fetched.value, kid, issuerId, documents);
  if (!found) return undefined;
  const accepted = accept(found.id, found.jwk, issuerId);
  return accepted.ok ? accepted : undefined;
}

function keyFromDocument(document: Record<string, unknown>, requestedId: string, base: string, controller: string, url: string): ResolvedIssuerKey | CryptoFailure {
  const method = findVerificationMethod(document, requestedId, base) ?? findMethodByThumbprint(document, requestedId, base);
  if (!method) return unknownKid(requestedId, url);
  const keyId = typeof method.id === 'string' ? (method.id.startsWith('#') ? base + method.id : method.id) : requestedId;
  if (!isAssertionMethod(document, keyId, base)) {
    return cryptoFailure('key.not-assertion-method', `The issuer lists the key ${keyId}, but not as a key for signing credentials.`, `not in assertionMethod of ${url}`);
  }
  const jwk = publicJwkOfMethod(method);
  if (!jwk) return unsupportedType(keyId);
  return accept(keyId, jwk, controller);
}

/** A bare kid may be the RFC 7638 thumbprint of one of the document's keys rather than its id fragment. */
function findMethodByThumbprint(document: Record<string, unknown>, keyId: string, base: string): Record<string, unknown> | undefined {
  const fragment = keyId.slice(keyId.lastIndexOf('#') + 1);
  if (!/^[A-Za-z0-9_-]{43}$/.test(fragment) || keyId.split('#')[0] !== base) return undefined;
  const candidates = [...(Array.isArray(document.verificationMethod) ? document.verificationMethod : []), ...(Array.isArray(document.assertionMethod) ? document.assertionMethod : [])];
  return candidates.find((entry): entry is Record<string, unknown> => {
    if (!isJsonObject(entry)) return false;
    const jwk = publicJwkOfMethod(entry);
    return jwk !== undefined && jwkThumbprintSync(jwk) === fragment;
  });
}

/** publicKeyJwk (JsonWebKey2020) or publicKeyMultibase (Multikey, e.g. `z6Mk…`). */
function publicJwkOfMethod(method: Record<string, unknown>): JWK | undefined {
  if (isJsonObject(method.publicKeyJwk)) return method.publicKeyJwk as JWK;
  if (typeof method.publicKeyMultibase !== 'string') return undefined;
  try {
    return jwkFromMultibase(method.publicKeyMultibase);
  } catch {
    return undefined;
  }
}

/** Decoding a did:key validates its curve point, which is slow; verifying many credentials of one issuer reuses it. */
const didKeyJwks = new Map<string, JWK>();

function didKeyJwkCached(did: string): JWK {
  let jwk = didKeyJwks.get(did);
  if (!jwk) {
    jwk = jwkFromDidKey(did);
    if (didKeyJwks.size >= 256) didKeyJwks.clear();
    didKeyJwks.set(did, jwk);
  }
  return { ...jwk };
}

function accept(kid: string, jwk: JWK, controller: string): ResolvedIssuerKey | CryptoFailure {
  if (!algForJwk(jwk)) return unsupportedType(kid);
  return { ok: true, kid, jwk: publicJwkOf(jwk), controller };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function notIssuers(kid: string, issuerId: string): CryptoFailure {
  return cryptoFailure('key.not-issuers', `The credential was signed with a key (${kid}) that does not belong to its issuer ${issuerId}.`);
}

function unknownKid(kid: string, where: string): CryptoFailure {
  return cryptoFailure('key.unknown-kid', `The issuer publishes no key with the id ${kid}.`, `looked in ${where}`);
}

function unsupportedType(kid: string): CryptoFailure {
  return cryptoFailure('key.unsupported-type', `The key ${kid} is of a type this verifier does not support (Ed25519, P-256, P-384 and RSA are).`);
}
