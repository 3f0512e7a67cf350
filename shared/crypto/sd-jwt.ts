/**
 * RFC 9901 (SD-JWT) §4 and §7.1: split an SD-JWT into its issuer-signed JWT, Disclosures and
 * optional Key Binding JWT, and rebuild the disclosed claims from the signed digests. The issuer's
 * signature is checked elsewhere (vc-jwt.ts, with the same key discovery as any VC-JWT).
 *
 * Hand-written rather than @sd-jwt/core: that package depends on an alpha-versioned
 * @owf/identity-common and reports problems as exception strings, while the verifier needs a stable
 * code per rule (unknown hash, duplicate digest, unsigned disclosure…) and already bundles jose and
 * @noble/hashes, which is all this algorithm needs.
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { isJsonObject } from './did-document.ts';
import { cryptoFailure, type CryptoFailure } from './errors.ts';

/** RFC 9901 §4.1.1: `_sd_alg` names come from the IANA Named Information Hash Algorithm registry. */
const HASHES: Readonly<Record<string, (data: Uint8Array) => Uint8Array>> = { 'sha-256': sha256, 'sha-384': sha384, 'sha-512': sha512 };
const DEFAULT_HASH = 'sha-256';
const ARRAY_ELEMENT_KEY = '...';
/** Nesting beyond this is refused before recursion can exhaust the stack of a service worker. */
const MAX_DEPTH = 64;

export interface SplitSdJwt {
  readonly ok: true;
  readonly issuerJwt: string;
  readonly disclosures: readonly string[];
  /** The SD-JWT without its Key Binding JWT, ending in `~`: what the KB-JWT's `sd_hash` covers (§4.3.1). */
  readonly presentation: string;
  readonly keyBindingJwt?: string;
}

export interface DisclosedClaims {
  readonly ok: true;
  /** The issuer-signed payload with every disclosed claim in place and `_sd`, `_sd_alg` and undisclosed digests removed. */
  readonly claims: Record<string, unknown>;
  /** The `_sd_alg` in force (sha-256 when the payload names none). */
  readonly hashAlg: string;
  /** Names of the disclosed object properties, in the order the Disclosures were given (array elements have none). */
  readonly disclosedNames: readonly string[];
}

interface Disclosure {
  readonly encoded: string;
  readonly name?: string;
  readonly value: unknown;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** RFC 9901 §4: `<Issuer-signed JWT>~<Disclosure 1>~…~<Disclosure N>~[<KB-JWT>]`. */
export function splitSdJwt(text: string): SplitSdJwt | CryptoFailure {
  const parts = text.split('~');
  const [issuerJwt = '', ...rest] = parts;
  const last = rest.pop();
  if (last === undefined || !COMPACT_JWS.test(issuerJwt)) return malformed('it does not start with a signed JWT followed by "~"');
  if (last !== '' && !COMPACT_JWS.test(last)) return malformed('it ends neither with "~" nor with a key binding JWT');
  if (rest.some((disclosure) => !/^[A-Za-z0-9_-]+$/.test(disclosure))) return malformed('one of its disclosures is empty or not base64url');
  const presentation = text.slice(0, text.length - last.length);
  return last === '' ? { ok: true, issuerJwt, disclosures: rest, presentation } : { ok: true, issuerJwt, disclosures: rest, presentation, keyBindingJwt: last };
}

/** The digest of a Disclosure or presentation: base64url of the hash of its ASCII text (§4.2.3, §4.3.1). */
export function sdDigest(text: string, hashAlg: string): string {
  const hash = HASHES[hashAlg];
  if (!hash) throw new Error(`unsupported _sd_alg ${hashAlg}`);
  return base64urlnopad.encode(hash(new TextEncoder().encode(text)));
}

/** The hash algorithm an issuer-signed payload declares, or a failure for one we do not know (§4.1.1). */
export function sdHashAlgOf(payload: Record<string, unknown>): string | CryptoFailure {
  const alg = payload._sd_alg ?? DEFAULT_HASH;
  if (typeof alg === 'string' && alg in HASHES) return alg;
  return cryptoFailure('sd-jwt.unsupported-hash', 'The credential hides its claims with a hash algorithm this verifier does not support.', `_sd_alg ${JSON.stringify(alg)}; supported: ${Object.keys(HASHES).join(', ')}`);
}

/**
 * RFC 9901 §7.1 steps 3–5: every Disclosure must match a digest the issuer signed, exactly once;
 * digests without a Disclosure are decoys or undisclosed claims and vanish.
 */
export function discloseClaims(payload: Record<string, unknown>, encodedDisclosures: readonly string[]): DisclosedClaims | CryptoFailure {
  const hashAlg = sdHashAlgOf(payload);
  if (typeof hashAlg !== 'string') return hashAlg;
  const byDigest = new Map<string, Disclosure>();
  for (const encoded of encodedDisclosures) {
    const disclosure = decodeDisclosure(encoded);
    if ('ok' in disclosure) return disclosure;
    const digest = sdDigest(encoded, hashAlg);
    if (byDigest.has(digest)) return cryptoFailure('sd-jwt.duplicate-disclosure', 'The same disclosure is given twice, which a genuine SD-JWT never does.', encoded);
    byDigest.set(digest, disclosure);
  }
  const state = { byDigest, seen: new Set<string>(), used: new Set<string>() };
  let claims: unknown;
  try {
    claims = rebuild(payload, state, 0);
  } catch (error) {
    if (error instanceof DisclosureError) return error.failure;
    throw error;
  }
  const unused = [...byDigest].find(([digest]) => !state.used.has(digest));
  if (unused) {
    const [, disclosure] = unused;
    const what = disclosure.name === undefined ? 'A disclosed list entry' : `The disclosed claim "${disclosure.name}"`;
    return cryptoFailure('sd-jwt.disclosure-not-signed', `${what} is not among the claims the issuer signed: it was added or changed after issuance.`, `no digest in the issuer-signed JWT matches the disclosure ${disclosure.encoded}`);
  }
  // rebuild() returned a fresh object, so deleting from it leaves the signed payload untouched.
  const rebuilt = claims as Record<string, unknown>;
  delete rebuilt._sd_alg;
  const disclosedNames = [...byDigest.values()].flatMap((d) => (d.name === undefined ? [] : [d.name]));
  return { ok: true, claims: rebuilt, hashAlg, disclosedNames };
}

/** §4.2.1–4.2.2: a base64url JSON array `[salt, name, value]` (object property) or `[salt, value]` (array element). */
function decodeDisclosure(encoded: string): Disclosure | CryptoFailure {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(encoded)));
  } catch (error) {
    return badDisclosure(encoded, `not base64url JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value) || typeof value[0] !== 'string') return badDisclosure(encoded, 'not an array starting with a salt');
  if (value.length === 2) return { encoded, value: value[1] };
  if (value.length !== 3 || typeof value[1] !== 'string') return badDisclosure(encoded, 'neither [salt, name, value] nor [salt, value]');
  // §7.1 step 3.b.ii: these names would let a Disclosure smuggle in digests or array markers.
  if (value[1] === '_sd' || value[1] === ARRAY_ELEMENT_KEY) return badDisclosure(encoded, `claim name "${value[1]}" is reserved`);
  return { encoded, name: value[1], value: value[2] };
}

interface RebuildState {
  readonly byDigest: ReadonlyMap<string, Disclosure>;
  readonly seen: Set<string>;
  readonly used: Set<string>;
}

function rebuild(value: unknown, state: RebuildState, depth: number): unknown {
  if (depth > MAX_DEPTH) fail('sd-jwt.too-deep', 'The credential is nested too deeply to be read safely.', `more than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    return value.flatMap((element) => {
      if (!isArrayElementDigest(element)) return [rebuild(element, state, depth + 1)];
      const disclosure = claimDigest(element[ARRAY_ELEMENT_KEY], state);
      if (!disclosure) return [];
      if (disclosure.name !== undefined) fail('sd-jwt.disclosure-misplaced', 'A disclosure for a named claim is referenced as a list entry, so the credential is malformed.', disclosure.encoded);
      return [rebuild(disclosure.value, state, depth + 1)];
    });
  }
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (key !== '_sd') out[key] = rebuild(member, state, depth + 1);
  }
  if (value._sd === undefined) return out;
  if (!Array.isArray(value._sd)) fail('sd-jwt.bad-digest', 'The credential’s list of hidden claims (_sd) is not a list.', JSON.stringify(value._sd).slice(0, 200));
  for (const digest of value._sd as unknown[]) {
    const disclosure = claimDigest(digest, state);
    if (!disclosure) continue;
    if (disclosure.name === undefined) fail('sd-jwt.disclosure-misplaced', 'A disclosure for a list entry is referenced as a named claim, so the credential is malformed.', disclosure.encoded);
    if (Object.hasOwn(out, disclosure.name)) fail('sd-jwt.claim-clash', `The disclosed claim "${disclosure.name}" is also present in plain text; a genuine SD-JWT never does that.`, disclosure.encoded);
    out[disclosure.name] = rebuild(disclosure.value, state, depth + 1);
  }
  return out;
}

/** §7.1 step 4: each digest may appear once in the whole payload, Disclosures included. */
function claimDigest(digest: unknown, state: RebuildState): Disclosure | undefined {
  if (typeof digest !== 'string') fail('sd-jwt.bad-digest', 'A hidden-claim digest in the credential is not a string.', JSON.stringify(digest)?.slice(0, 200));
  if (state.seen.has(digest)) fail('sd-jwt.duplicate-digest', 'The same hidden-claim digest appears twice in the credential, which a genuine SD-JWT never does.', digest);
  state.seen.add(digest);
  const disclosure = state.byDigest.get(digest);
  if (disclosure) state.used.add(digest);
  return disclosure;
}

function isArrayElementDigest(element: unknown): element is Record<string, unknown> {
  return isJsonObject(element) && Object.keys(element).length === 1 && ARRAY_ELEMENT_KEY in element;
}

class DisclosureError extends Error {
  constructor(readonly failure: CryptoFailure) {
    super(failure.message);
  }
}

function fail(code: string, message: string, detail?: string): never {
  throw new DisclosureError(cryptoFailure(code, message, detail));
}

function badDisclosure(encoded: string, why: string): CryptoFailure {
  return cryptoFailure('sd-jwt.bad-disclosure', 'One of the disclosures is damaged and cannot be read.', `${why}: ${encoded.slice(0, 200)}`);
}

function malformed(why: string): CryptoFailure {
  return cryptoFailure('sd-jwt.malformed', `This SD-JWT is damaged: ${why}.`);
}
