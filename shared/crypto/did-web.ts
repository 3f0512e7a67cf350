/** did:web Method Specification (W3C CCG), "Method-specific identifier" and "Read (Resolve)": DID ↔ document URL, and the did.json we publish. */
import type { JWK } from 'jose';
import { isLoopbackHost } from '../net/fetch-document.ts';
import { absoluteKeyId, didDocumentWithKeys, type DidDocument } from './did-document.ts';
import { CryptoError } from './errors.ts';

export type { DidDocument, VerificationMethod } from './did-document.ts';

const DID_WEB_PREFIX = 'did:web:';
const PATH_SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=@%-]+$/;

/** https://host:port/path → did:web:host%3Aport:path (the port colon is percent-encoded so it cannot be read as a path separator). */
export function didWebFromUrl(publicUrl: string): string {
  const url = parseUrl(publicUrl);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw invalid(`A did:web needs an https address (http only on this machine), not ${publicUrl}.`);
  }
  checkHost(url.hostname);
  const host = encodeURIComponent(url.hostname) + (url.port ? `%3A${url.port}` : '');
  const segments = url.pathname.split('/').filter((segment) => segment !== '').map((segment) => segment.replaceAll(':', '%3A'));
  return [DID_WEB_PREFIX + host, ...segments].join(':');
}

/** Read (Resolve) steps 1–5: did:web:host → https://host/.well-known/did.json; with a path → https://host/path/did.json. */
export function didWebToDocumentUrl(did: string): string {
  if (!did.startsWith(DID_WEB_PREFIX) || /[?#/]/.test(did)) throw invalid(`"${did}" is not a did:web DID.`);
  const [encodedHost = '', ...segments] = did.slice(DID_WEB_PREFIX.length).split(':');
  let host: string;
  try {
    host = decodeURIComponent(encodedHost);
  } catch {
    throw invalid(`"${did}" has a badly percent-encoded host.`);
  }
  const origin = parseUrl(`https://${host}`);
  // A decoded host smuggling '/', '?', '#' or '@' would move the fetch somewhere else.
  if (origin.pathname !== '/' || origin.username !== '' || origin.search !== '' || origin.hash !== '') {
    throw invalid(`"${did}" does not name a host.`);
  }
  checkHost(origin.hostname);
  // Only RFC 3986 path characters; "." and ".." segments would let a DID point at a document outside its own path.
  if (segments.some((segment) => !PATH_SEGMENT.test(segment) || /^(\.|%2e){1,2}$/i.test(segment))) throw invalid(`"${did}" has an empty, dot or malformed path segment.`);
  // Plain http is for development and tests on this machine only.
  const scheme = isLoopbackHost(origin.hostname) ? 'http' : 'https';
  const path = segments.length === 0 ? '/.well-known' : `/${segments.join('/')}`;
  return `${scheme}://${origin.host}${path}/did.json`;
}

/** The issuer's did.json: each key as a JsonWebKey2020 method (public members only) that may assert and authenticate. */
export function buildDidWebDocument(did: string, keys: readonly { kid: string; publicJwk: JWK }[]): DidDocument {
  return didDocumentWithKeys(
    did,
    keys.map((key) => {
      const id = absoluteKeyId(did, key.kid);
      if (!id) throw invalid(`The key id "${key.kid}" belongs to another DID than ${did}.`);
      return { id, publicJwk: key.publicJwk };
    }),
  );
}

/** The spec forbids IP addresses in did:web; loopback ones stay allowed for development and tests. */
function checkHost(hostname: string): void {
  const isIpAddress = hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
  if (isIpAddress && !isLoopbackHost(hostname)) throw invalid(`A did:web cannot name an IP address (${hostname}); use a domain name.`);
}

function parseUrl(value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw invalid(`"${value}" is not a URL.`);
  }
}

function invalid(message: string): CryptoError {
  return new CryptoError('DID_WEB_INVALID', message);
}
