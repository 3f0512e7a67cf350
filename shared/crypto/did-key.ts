/** did:key Method v0.7 (W3C CCG) §2 "The did:key Format" and §3.1 Create, for Ed25519, P-256 and P-384 public keys. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { base58, base64urlnopad } from '@scure/base';
import type { JWK } from 'jose';
import { didDocumentWithKeys, type DidDocument } from './did-document.ts';
import { CryptoError } from './errors.ts';

const DID_KEY_PREFIX = 'did:key:';
/** Multicodec code ed25519-pub (0xed) as an unsigned varint. */
const ED25519_PUB = Uint8Array.of(0xed, 0x01);

/** NIST curves did:key carries as SEC1 compressed points, with their multicodec codes as unsigned varints. */
const NIST_CURVES = [
  { crv: 'P-256', header: Uint8Array.of(0x80, 0x24) /* p256-pub 0x1200 */, size: 32, point: p256.Point },
  { crv: 'P-384', header: Uint8Array.of(0x81, 0x24) /* p384-pub 0x1201 */, size: 48, point: p384.Point },
] as const;

export function didKeyFromJwk(jwk: JWK): string {
  return DID_KEY_PREFIX + multibaseFromJwk(jwk);
}

/** The base58btc multibase value (`z…`) of a public key, as used by did:key and Multikey. */
export function multibaseFromJwk(jwk: JWK): string {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const x = coordinate(jwk.x, 'x', 32);
    checkPoint(() => ed25519.Point.fromBytes(x), 'The Ed25519 key is not a point on the curve.', 'JWK_INVALID');
    return 'z' + base58.encode(concat(ED25519_PUB, x));
  }
  const curve = jwk.kty === 'EC' ? NIST_CURVES.find((c) => c.crv === jwk.crv) : undefined;
  if (curve) {
    const uncompressed = concat(Uint8Array.of(0x04), concat(coordinate(jwk.x, 'x', curve.size), coordinate(jwk.y, 'y', curve.size)));
    const point = checkPoint(() => curve.point.fromBytes(uncompressed), `The ${curve.crv} key is not a point on the curve.`, 'JWK_INVALID');
    return 'z' + base58.encode(concat(curve.header, point.toBytes(true)));
  }
  const keyType = [jwk.kty, jwk.crv].filter(Boolean).join(' ') || 'untyped';
  throw new CryptoError('KEY_UNSUPPORTED', `did:key is supported for Ed25519, P-256 and P-384 keys, not ${keyType} keys.`);
}

export function jwkFromDidKey(did: string): JWK {
  if (!did.startsWith(DID_KEY_PREFIX)) throw invalid(`"${did}" is not a did:key DID.`);
  return jwkFromMultibase(did.slice(DID_KEY_PREFIX.length));
}

/** Decode Public Key Algorithm: multibase → multicodec header + raw key → public JWK. */
export function jwkFromMultibase(value: string): JWK {
  if (!value.startsWith('z')) throw invalid(`"${value}" is not base58btc multibase (it must start with "z").`);
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(value.slice(1));
  } catch {
    throw invalid(`"${value}" is not valid base58btc.`);
  }
  const raw = bytes.subarray(2);
  if (startsWith(bytes, ED25519_PUB)) {
    if (raw.length !== 32) throw invalid(`An Ed25519 did:key holds 32 key bytes, this one ${raw.length}.`);
    checkPoint(() => ed25519.Point.fromBytes(raw), 'The Ed25519 key in the did:key is not a point on the curve.', 'DID_KEY_INVALID');
    return { kty: 'OKP', crv: 'Ed25519', x: base64urlnopad.encode(raw) };
  }
  const curve = NIST_CURVES.find((c) => startsWith(bytes, c.header));
  if (curve) {
    if (raw.length !== curve.size + 1) throw invalid(`A ${curve.crv} did:key holds a ${curve.size + 1}-byte compressed point, this one ${raw.length} bytes.`);
    const point = checkPoint(() => curve.point.fromBytes(raw), `The ${curve.crv} key in the did:key is not a point on the curve.`, 'DID_KEY_INVALID');
    const xy = point.toBytes(false);
    return { kty: 'EC', crv: curve.crv, x: base64urlnopad.encode(xy.subarray(1, curve.size + 1)), y: base64urlnopad.encode(xy.subarray(curve.size + 1)) };
  }
  throw invalid(`"${value}" is not an Ed25519, P-256 or P-384 public key (unknown multicodec header).`);
}

/** Document Creation Algorithm: one JsonWebKey2020 method whose fragment is the multibase value. */
export function didKeyDocument(did: string): DidDocument {
  const publicJwk = jwkFromDidKey(did);
  return didDocumentWithKeys(did, [{ id: `${did}#${did.slice(DID_KEY_PREFIX.length)}`, publicJwk }]);
}

function coordinate(value: string | undefined, name: string, size: number): Uint8Array {
  try {
    const bytes = base64urlnopad.decode(value ?? '');
    if (bytes.length === size) return bytes;
  } catch {
    // reported below with the same message as a wrong length
  }
  throw new CryptoError('JWK_INVALID', `The key's "${name}" must be ${size} bytes of base64url.`);
}

function checkPoint<T>(decode: () => T, message: string, code: 'JWK_INVALID' | 'DID_KEY_INVALID'): T {
  try {
    return decode();
  } catch {
    throw new CryptoError(code, message);
  }
}

function invalid(message: string): CryptoError {
  return new CryptoError('DID_KEY_INVALID', message);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
