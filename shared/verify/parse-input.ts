/**
 * Reads what a user hands us — a compact VC-JWT (VC-JOSE-COSE §3.1.1), an
 * EnvelopedVerifiableCredential (VC 2.0 §4.13), a JSON credential with an embedded proof, the
 * older VC 1.1 JWT with a `vc` claim, an SD-JWT credential (VC-JOSE-COSE §3.2, RFC 9901: its
 * disclosures put back in place), an Open Badges 2.0 assertion (JSON or signed JWS), or a PNG
 * or SVG image with any of these baked in (OB 3.0 §5.3, OB 2.0 Baking; detected by magic bytes) —
 * into one ParsedCredential, or a reason it cannot.
 */
import { extractBakedCredential, detectBakedImage } from '../baking/extract-baked.ts';
import { discloseClaims, splitSdJwt } from '../crypto/sd-jwt.ts';
import { decodeVcJwt } from '../crypto/vc-jwt.ts';
import { isOb2Assertion } from '../ob2/assertion.ts';
import type { ParsedCredential } from './types.ts';

export type ParseOutcome = { readonly ok: true; readonly parsed: ParsedCredential } | { readonly ok: false; readonly code: string; readonly message: string; readonly detail?: string };

export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const SD_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(~[A-Za-z0-9_.-]*)+$/;
const ENVELOPE_PREFIX = /^data:application\/vc\+jwt,/;

export function parseCredential(input: string | Uint8Array | Record<string, unknown>, maxBytes = DEFAULT_MAX_INPUT_BYTES): ParseOutcome {
  if (typeof input === 'object' && !(input instanceof Uint8Array)) return parseJsonValue(input);
  if (input instanceof Uint8Array && detectBakedImage(input)) return parseBakedImage(input, maxBytes);
  const size = typeof input === 'string' ? new TextEncoder().encode(input).byteLength : input.byteLength;
  if (size > maxBytes) return fail('input.too-large', `The credential is ${size} bytes; the limit is ${maxBytes} bytes.`);
  const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).trim();
  if (text === '') return fail('input.empty', 'There is nothing to verify: the input is empty.');
  if (COMPACT_JWS.test(text)) return parseJwt(text);
  if (SD_JWT.test(text)) return parseSdJwt(text);
  if (text.startsWith('{') || text.startsWith('"')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return fail('input.bad-json', `The input looks like JSON but cannot be parsed: ${(error as Error).message}`);
    }
    if (typeof value === 'string') return parseCredential(value, maxBytes);
    if (isObject(value)) return parseJsonValue(value);
  }
  return fail('input.unrecognised', 'The input is neither a VC-JWT nor a JSON credential.');
}

/** Images may be larger than a bare credential; the baked text inside is held to the credential cap. */
function parseBakedImage(bytes: Uint8Array, maxBytes: number): ParseOutcome {
  const extracted = extractBakedCredential(bytes, { maxCredentialBytes: maxBytes });
  if (!extracted.ok) return fail(extracted.code, extracted.message);
  const value = extracted.value;
  const inner = extracted.kind === 'ob2' && /^https?:\/\//i.test(value) ? ob2Url(value) : parseCredential(value, maxBytes);
  if (!inner.ok) return fail(inner.code, `The credential baked into this ${extracted.image.toUpperCase()} cannot be read: ${inner.message}`);
  return { ok: true, parsed: { ...inner.parsed, baked: extracted.image } };
}

function ob2Url(url: string): ParseOutcome {
  if (!URL.canParse(url)) return fail('input.unrecognised', 'The baked Open Badges 2.0 assertion URL is not a URL.');
  return { ok: true, parsed: { format: 'ob2', credential: {}, ob2: { url } } };
}

function parseJwt(compact: string): ParseOutcome {
  const decoded = decodeVcJwt(compact);
  if (!decoded.ok) return fail(decoded.code, decoded.message);
  const { header, payload } = decoded;
  // OB 2.0 signed badges are a JWS whose payload is the assertion.
  if (isOb2Assertion(payload)) return { ok: true, parsed: { format: 'ob2', credential: payload, ob2: { jws: compact }, jwt: { compact, header, payload } } };
  // A payload with its own @context is a VC 2.0 (VC-JOSE-COSE) credential even if it also carries `vc`; the format check refuses that mix.
  if (isObject(payload.vc) && payload['@context'] === undefined) {
    // VC Data Model 1.1 JWT encoding: the credential sits in `vc`; registered claims stand in for its members.
    // VC 1.1 §6.3.1: iss, jti, sub, nbf and exp stand for issuer, id, credentialSubject.id,
    // issuanceDate and expirationDate; the format check refuses a token where both say different things.
    const credential = { ...payload.vc } as Record<string, unknown>;
    if (credential.issuer === undefined && typeof payload.iss === 'string') credential.issuer = payload.iss;
    if (credential.id === undefined && typeof payload.jti === 'string') credential.id = payload.jti;
    if (credential.issuanceDate === undefined && typeof payload.nbf === 'number') credential.issuanceDate = isoSeconds(payload.nbf);
    if (credential.expirationDate === undefined && typeof payload.exp === 'number') credential.expirationDate = isoSeconds(payload.exp);
    if (typeof payload.sub === 'string' && isObject(credential.credentialSubject) && credential.credentialSubject.id === undefined) {
      credential.credentialSubject = { ...credential.credentialSubject, id: payload.sub };
    }
    return { ok: true, parsed: { format: 'vc-jwt-v1', credential, jwt: { compact, header, payload } } };
  }
  return { ok: true, parsed: { format: 'vc-jwt', credential: payload, jwt: { compact, header, payload } } };
}

/**
 * RFC 9901 §7.1: the disclosed claims are rebuilt here, so every later check (format, validity,
 * status, EU elements) reads what the holder disclosed; a disclosure the issuer did not sign makes
 * the input unreadable with a precise code. The issuer's signature is checked by the signature check.
 */
function parseSdJwt(text: string): ParseOutcome {
  const split = splitSdJwt(text);
  if (!split.ok) return fail(split.code, split.message);
  const decoded = decodeVcJwt(split.issuerJwt);
  if (!decoded.ok) return fail(decoded.code, decoded.message);
  const disclosed = discloseClaims(decoded.payload, split.disclosures);
  if (!disclosed.ok) return fail(disclosed.code, disclosed.message, disclosed.detail);
  const { claims, hashAlg, disclosedNames } = disclosed;
  const sdJwt = { hashAlg, disclosedNames, presentation: split.presentation, ...(split.keyBindingJwt ? { keyBindingJwt: split.keyBindingJwt } : {}) };
  return { ok: true, parsed: { format: 'vc-sd-jwt', credential: claims, jwt: { compact: split.issuerJwt, header: decoded.header, payload: claims }, sdJwt } };
}

function parseJsonValue(value: Record<string, unknown>): ParseOutcome {
  if (isOb2Assertion(value)) return { ok: true, parsed: { format: 'ob2', credential: value, ...(typeof value.id === 'string' ? { ob2: { url: value.id } } : {}) } };
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (types.includes('EnvelopedVerifiableCredential') && typeof value.id === 'string') {
    const jwt = value.id.replace(ENVELOPE_PREFIX, '');
    if (jwt === value.id) return fail('input.bad-envelope', 'The enveloped credential does not carry a data:application/vc+jwt URL.');
    return parseJwt(jwt);
  }
  if (!types.includes('VerifiableCredential')) {
    return fail('input.not-credential', 'The JSON is not a Verifiable Credential (its type does not include VerifiableCredential).');
  }
  return { ok: true, parsed: { format: 'json-ld', credential: value } };
}

function isoSeconds(seconds: number): string | undefined {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}

function fail(code: string, message: string, detail?: string): ParseOutcome {
  return detail === undefined ? { ok: false, code, message } : { ok: false, code, message, detail };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
