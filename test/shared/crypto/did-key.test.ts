import { readFileSync } from 'node:fs';
import { ed25519 as ed25519Curve } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { base58, base64urlnopad, hex } from '@scure/base';
import type { JWK } from 'jose';
import { describe, expect, test } from 'vitest';
import { codeOf } from './error-code.ts';
import { didKeyDocument, didKeyFromJwk, jwkFromDidKey } from '../../../shared/crypto/did-key.ts';
import { generateSigningKey } from '../../../shared/crypto/keys.ts';

const vectors = <T>(file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/vectors/did-key/${file}`, import.meta.url), 'utf8')) as Record<string, T>;

interface Ed25519Vector {
  seed: string;
  verificationKeyPair: { publicKeyBase58?: string; publicKeyJwk?: JWK };
  didDocument: { verificationMethod: { id: string }[]; assertionMethod: string[]; authentication: string[] };
}
interface NistVector {
  verificationMethod: { publicKeyJwk?: JWK; publicKeyBase58?: string };
  didDocument: Record<string, unknown>;
}

const ed25519 = Object.entries(vectors<Ed25519Vector>('ed25519-x25519.json'));
const nist = Object.entries(vectors<NistVector>('nist-curves.json'));
// P-256 vectors come in two shapes: publicKeyJwk (JsonWebKey2020) and publicKeyBase58 of the compressed point (P256Key2021).
const p256Jwk = nist.flatMap(([did, v]) => (v.verificationMethod.publicKeyJwk?.crv === 'P-256' ? [[did, v.verificationMethod.publicKeyJwk, v.didDocument] as const] : []));
const p384Jwk = nist.flatMap(([did, v]) => (v.verificationMethod.publicKeyJwk?.crv === 'P-384' ? [[did, v.verificationMethod.publicKeyJwk, v.didDocument] as const] : []));
const p256Base58 = nist.flatMap(([did, v]) => (did.startsWith('did:key:zDn') && v.verificationMethod.publicKeyBase58 ? [[did, v.verificationMethod.publicKeyBase58] as const] : []));


describe('did:key Method v0.7 test vectors', () => {
  test('the vector files hold Ed25519, P-256 and P-384 DIDs', () => {
    expect(ed25519.length).toBeGreaterThanOrEqual(5);
    expect(p256Jwk.length).toBeGreaterThanOrEqual(2);
    expect(p384Jwk.length).toBeGreaterThanOrEqual(2);
    expect(p256Base58.length).toBeGreaterThanOrEqual(1);
  });

  test.each(ed25519)('did:key §2 Ed25519: %s decodes to the vector key (derived from its seed) and encodes back', (did, vector) => {
    const { publicKeyBase58, publicKeyJwk } = vector.verificationKeyPair;
    // Older vectors give the key as publicKeyBase58 (Ed25519VerificationKey2018), newer ones as publicKeyJwk.
    const expected = publicKeyJwk ?? { kty: 'OKP', crv: 'Ed25519', x: base64urlnopad.encode(base58.decode(publicKeyBase58 ?? '')) };
    expect(base64urlnopad.encode(ed25519Curve.getPublicKey(hex.decode(vector.seed)))).toBe(expected.x);
    expect(jwkFromDidKey(did)).toEqual(expected);
    expect(didKeyFromJwk(expected)).toBe(did);
  });

  test.each(ed25519)('did:key §3.1 Ed25519: the document of %s names the vector key for assertion and authentication', (did, vector) => {
    const document = didKeyDocument(did);
    const keyId = vector.didDocument.verificationMethod[0]?.id;
    expect(document.verificationMethod).toEqual([{ id: keyId, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwkFromDidKey(did) }]);
    expect(document.assertionMethod).toEqual(vector.didDocument.assertionMethod);
    expect(document.authentication).toEqual(vector.didDocument.authentication);
  });

  test.each(p256Jwk)('did:key §2 P-256: %s decompresses to the vector JWK and compresses back', (did, publicKeyJwk) => {
    expect(jwkFromDidKey(did)).toEqual(publicKeyJwk);
    expect(didKeyFromJwk(publicKeyJwk)).toBe(did);
  });

  test.each([...p256Jwk, ...p384Jwk])('did:key §3.1 P-256 and P-384: the document of %s matches the vector document', (did, _jwk, vectorDocument) => {
    const { '@context': context, id, verificationMethod, assertionMethod, authentication } = vectorDocument;
    expect(didKeyDocument(did)).toEqual({ '@context': context, id, verificationMethod, assertionMethod, authentication });
  });

  test.each(p384Jwk)('did:key §2 P-384 (multicodec p384-pub 0x1201): %s decompresses to the vector JWK and compresses back', (did, publicKeyJwk) => {
    const { kty, crv, x, y } = publicKeyJwk;
    expect(jwkFromDidKey(did)).toEqual({ kty, crv, x, y });
    expect(didKeyFromJwk(publicKeyJwk)).toBe(did);
  });

  test.each(p256Base58)('did:key §2 P-256: %s holds the compressed point given as publicKeyBase58 and encodes back', (did, publicKeyBase58) => {
    const jwk = jwkFromDidKey(did);
    const uncompressed = Uint8Array.from([0x04, ...base64urlnopad.decode(jwk.x as string), ...base64urlnopad.decode(jwk.y as string)]);
    expect(p256.Point.fromBytes(uncompressed).toBytes(true)).toEqual(base58.decode(publicKeyBase58));
    expect(didKeyFromJwk(jwk)).toBe(did);
  });
});

describe('did:key encoding', () => {
  test.each(['EdDSA', 'ES256'] as const)('when a fresh %s key is encoded, then it decodes to the same public key', async (alg) => {
    const { publicJwk } = await generateSigningKey(alg);
    expect(jwkFromDidKey(didKeyFromJwk(publicJwk))).toEqual({ ...publicJwk });
  });

  test('when the key is RSA, then did:key refuses it', async () => {
    const { publicJwk } = await generateSigningKey('RS256');
    expect(codeOf(() => didKeyFromJwk(publicJwk))).toBe('KEY_UNSUPPORTED');
  });

  test('when a fresh P-384 key (WebCrypto) is encoded, then it is a z82… did:key that decodes to the same public key', async () => {
    const { publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
    const { kty, crv, x, y } = (await crypto.subtle.exportKey('jwk', publicKey)) as JWK;
    const did = didKeyFromJwk({ kty, crv, x, y });
    expect(did).toMatch(/^did:key:z82/);
    expect(jwkFromDidKey(did)).toEqual({ kty, crv, x, y });
    expect(p384.Point.fromBytes(base58.decode(did.slice('did:key:z'.length)).subarray(2)).toBytes(true)).toHaveLength(49);
  });

  test('when the P-256 coordinates are not on the curve, then did:key refuses them', () => {
    const jwk: JWK = { kty: 'EC', crv: 'P-256', x: base64urlnopad.encode(new Uint8Array(32).fill(1)), y: base64urlnopad.encode(new Uint8Array(32).fill(2)) };
    expect(codeOf(() => didKeyFromJwk(jwk))).toBe('JWK_INVALID');
  });
});

describe('did:key decoding refuses bad input with DID_KEY_INVALID', () => {
  const withHeader = (header: number[], key: number[]) => `did:key:z${base58.encode(Uint8Array.from([...header, ...key]))}`;
  const cases: [string, string][] = [
    ['another DID method', 'did:web:issuer.example'],
    ['a multibase other than base58btc', 'did:key:f6d6b'],
    ['characters outside base58', 'did:key:z0OIl'],
    ['a secp256k1 key (unsupported multicodec)', 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'],
    ['an Ed25519 key of 31 bytes', withHeader([0xed, 0x01], Array(31).fill(7))],
    ['a P-256 point with an invalid prefix byte', withHeader([0x80, 0x24], [0x05, ...Array(32).fill(1)])],
    ['an uncompressed P-256 point', withHeader([0x80, 0x24], [0x04, ...Array(64).fill(1)])],
    ['a P-384 header with a 33-byte (P-256-sized) point', withHeader([0x81, 0x24], [0x02, ...Array(32).fill(1)])],
    ['a P-384 point not on the curve', withHeader([0x81, 0x24], [0x02, ...Array(48).fill(0xff)])],
  ];
  test.each(cases)('when the DID has %s, then it is refused', (_label, did) => {
    expect(codeOf(() => jwkFromDidKey(did))).toBe('DID_KEY_INVALID');
  });
});
