/**
 * Reads what a user hands us — a compact VC-JWT (VC-JOSE-COSE §3.1.1), an
 * EnvelopedVerifiableCredential (VC 2.0 §4.13), a JSON credential with an embedded proof, or the
 * older VC 1.1 JWT with a `vc` claim — into one ParsedCredential, or a reason it cannot.
 */
import { decodeVcJwt } from '../crypto/vc-jwt.ts';
import type { ParsedCredential } from './types.ts';

export type ParseOutcome = { readonly ok: true; readonly parsed: ParsedCredential } | { readonly ok: false; readonly code: string; readonly message: string };

export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ENVELOPE_PREFIX = /^data:application\/vc\+jwt,/;

export function parseCredential(input: string | Uint8Array | Record<string, unknown>, maxBytes = DEFAULT_MAX_INPUT_BYTES): ParseOutcome {
  if (typeof input === 'object' && !(input instanceof Uint8Array)) return parseJsonValue(input);
  const size = typeof input === 'string' ? new TextEncoder().encode(input).byteLength : input.byteLength;
  if (size > maxBytes) return fail('input.too-large', `The credential is ${size} bytes; the limit is ${maxBytes} bytes.`);
  const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).trim();
  if (text === '') return fail('input.empty', 'There is nothing to verify: the input is empty.');
  if (COMPACT_JWS.test(text)) return parseJwt(text);
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

function parseJwt(compact: string): ParseOutcome {
  const decoded = decodeVcJwt(compact);
  if (!decoded.ok) return fail(decoded.code, decoded.message);
  const { header, payload } = decoded;
  if (isObject(payload.vc)) {
    // VC Data Model 1.1 JWT encoding: the credential sits in `vc`; registered claims stand in for its members.
    const credential = { ...payload.vc } as Record<string, unknown>;
    if (credential.issuer === undefined && typeof payload.iss === 'string') credential.issuer = payload.iss;
    if (credential.id === undefined && typeof payload.jti === 'string') credential.id = payload.jti;
    return { ok: true, parsed: { format: 'vc-jwt-v1', credential, jwt: { compact, header, payload } } };
  }
  return { ok: true, parsed: { format: 'vc-jwt', credential: payload, jwt: { compact, header, payload } } };
}

function parseJsonValue(value: Record<string, unknown>): ParseOutcome {
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

function fail(code: string, message: string): ParseOutcome {
  return { ok: false, code, message };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
