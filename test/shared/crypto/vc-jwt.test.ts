import { base64urlnopad } from '@scure/base';
import { CompactSign, importJWK, type JWK } from 'jose';
import { describe, expect, test } from 'vitest';
import { CryptoError } from '../../../shared/crypto/errors.ts';
import { generateSigningKey, SIGNING_ALGS, type SigningKeyPair } from '../../../shared/crypto/keys.ts';
import { decodeVcJwt, signVcJwt, verifyVcJwtSignature } from '../../../shared/crypto/vc-jwt.ts';

const ISSUER = 'did:web:issuer.example';
const NOW = new Date('2026-03-01T12:00:00Z');
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:4f2c7a1e-58b4-4c8e-9d59-0f3c1c2b7a10',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: ISSUER, type: ['Profile'], name: 'Example University' },
  validFrom: '2026-02-01T00:00:00Z',
  validUntil: '2031-02-01T00:00:00Z',
  credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'] },
};

const signWith = (key: SigningKeyPair, vc: Record<string, unknown> = credential) =>
  signVcJwt(vc, { privateJwk: key.privateJwk, alg: key.alg, kid: `${ISSUER}#${key.thumbprint}` }, { now: () => NOW });

/** A token with any header and payload, for the attacks a verifier must refuse. */
async function forge(header: Record<string, unknown> & { alg: string }, payload: unknown, key: Parameters<CompactSign['sign']>[0]): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key);
}

const part = (value: unknown) => base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(value)));

async function rejection(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return error instanceof CryptoError ? error.code : `not a CryptoError: ${String(error)}`;
  }
  return undefined;
}

describe('VC-JOSE-COSE §3.1.1 / OB 3.0 §8.2: signing', () => {
  test.each(SIGNING_ALGS)('sign → verify round trip with %s', async (alg) => {
    const key = await generateSigningKey(alg);
    const compact = await signWith(key);
    const verified = await verifyVcJwtSignature(compact, key.publicJwk);
    expect(verified).toMatchObject({ ok: true, warnings: [] });
  });

  test('the protected header is {alg, kid, typ: vc+jwt, cty: vc} and the payload is the credential plus derived claims', async () => {
    const key = await generateSigningKey();
    const decoded = decodeVcJwt(await signWith(key));
    expect(decoded).toMatchObject({ ok: true });
    if (!decoded.ok) return;
    expect(decoded.header).toEqual({ alg: 'EdDSA', kid: `${ISSUER}#${key.thumbprint}`, typ: 'vc+jwt', cty: 'vc' });
    expect(decoded.payload).toEqual({
      ...credential,
      iss: ISSUER,
      jti: credential.id,
      sub: 'did:example:learner',
      nbf: Date.parse(credential.validFrom) / 1000,
      exp: Date.parse(credential.validUntil) / 1000,
      iat: NOW.getTime() / 1000,
    });
  });

  test('when the issuer is a plain string and there is no validUntil or subject id, then only iss, nbf and iat are added', async () => {
    const key = await generateSigningKey();
    const { validUntil: _u, id: _id, credentialSubject: _s, ...rest } = credential;
    const decoded = decodeVcJwt(await signWith(key, { ...rest, issuer: ISSUER }));
    expect(decoded.ok && Object.keys(decoded.payload).filter((k) => ['iss', 'jti', 'sub', 'nbf', 'exp', 'iat'].includes(k))).toEqual(['iss', 'nbf', 'iat']);
  });

  test.each([
    ['no issuer', { ...credential, issuer: undefined }],
    ['an issuer object without id', { ...credential, issuer: { name: 'Example University' } }],
    ['no validFrom', { ...credential, validFrom: undefined }],
    ['an unreadable validUntil', { ...credential, validUntil: 'next year' }],
    ['a "vc" member next to the VC 2.0 context', { ...credential, vc: {} }],
  ])('when the credential has %s, then signing is refused with VC_JWT_UNSIGNABLE', async (_label, vc) => {
    const key = await generateSigningKey();
    expect(await rejection(() => signWith(key, vc))).toBe('VC_JWT_UNSIGNABLE');
  });

  test('when the key does not fit the algorithm, then signing is refused with KEY_ALG_MISMATCH', async () => {
    const key = await generateSigningKey('ES256');
    expect(await rejection(() => signVcJwt(credential, { privateJwk: key.privateJwk, alg: 'EdDSA', kid: 'k' }))).toBe('KEY_ALG_MISMATCH');
  });
});

describe('VC-JOSE-COSE §3.1.1: verification refusals', () => {
  test('when one payload character is changed, then the signature is invalid', async () => {
    const key = await generateSigningKey();
    const [header, , signature] = (await signWith(key)).split('.');
    const tampered = `${header}.${part({ ...credential, credentialSubject: { id: 'did:example:mallory' } })}.${signature}`;
    expect(await verifyVcJwtSignature(tampered, key.publicJwk)).toMatchObject({ ok: false, code: 'signature.invalid' });
  });

  test('when another key of the same type is used, then the signature is invalid', async () => {
    const [signer, other] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    expect(await verifyVcJwtSignature(await signWith(signer), other.publicJwk)).toMatchObject({ ok: false, code: 'signature.invalid' });
  });

  test('RFC 8725 §3.1: when alg is "none", then it is refused as unsigned', async () => {
    const key = await generateSigningKey();
    const unsigned = `${part({ alg: 'none', typ: 'vc+jwt' })}.${part(credential)}.`;
    expect(await verifyVcJwtSignature(unsigned, key.publicJwk)).toMatchObject({ ok: false, code: 'signature.alg-none' });
  });

  test('RFC 8725 §3.1: when an HS256 token is keyed with the public key bytes, then it is refused as an algorithm mismatch', async () => {
    const key = await generateSigningKey();
    const secret = base64urlnopad.decode(key.publicJwk.x as string);
    const forged = await forge({ alg: 'HS256', typ: 'vc+jwt', kid: `${ISSUER}#${key.thumbprint}` }, credential, secret);
    expect(await verifyVcJwtSignature(forged, key.publicJwk)).toMatchObject({ ok: false, code: 'signature.alg-mismatch' });
  });

  test('when a valid ES256 token is checked against an Ed25519 key, then it is refused as an algorithm mismatch', async () => {
    const [p256, ed] = await Promise.all([generateSigningKey('ES256'), generateSigningKey('EdDSA')]);
    expect(await verifyVcJwtSignature(await signWith(p256), ed.publicJwk)).toMatchObject({ ok: false, code: 'signature.alg-mismatch' });
  });

  test('when the key is of a type we do not verify with, then it is refused before any cryptography', async () => {
    const key = await generateSigningKey();
    const x25519: JWK = { kty: 'OKP', crv: 'X25519', x: key.publicJwk.x as string };
    expect(await verifyVcJwtSignature(await signWith(key), x25519)).toMatchObject({ ok: false, code: 'signature.unsupported-key' });
  });
});

describe('VC-JOSE-COSE §3.1.1: typ and payload shape', () => {
  const signedWith = async (header: Record<string, unknown>, payload: Record<string, unknown> = credential) => {
    const key = await generateSigningKey();
    const compact = await forge({ alg: 'EdDSA', ...header }, payload, await importJWK(key.privateJwk, 'EdDSA'));
    return verifyVcJwtSignature(compact, key.publicJwk);
  };

  test('when typ is "application/vc+jwt", then it is accepted as vc+jwt', async () => {
    expect(await signedWith({ typ: 'application/vc+jwt' })).toMatchObject({ ok: true, warnings: [] });
  });

  test('when typ is absent, then the signature verifies with a format.typ-missing warning', async () => {
    const result = await signedWith({});
    expect(result).toMatchObject({ ok: true, warnings: [{ code: 'format.typ-missing' }] });
  });

  test('when typ is "JWT" on a VC 2.0 payload, then format.typ fails', async () => {
    expect(await signedWith({ typ: 'JWT' })).toMatchObject({ ok: false, code: 'format.typ' });
  });

  test('when the payload carries "vc" next to the VC 2.0 context, then format.vc-claim fails', async () => {
    expect(await signedWith({ typ: 'vc+jwt' }, { ...credential, vc: { type: ['VerifiableCredential'] } })).toMatchObject({ ok: false, code: 'format.vc-claim' });
  });

  test('when a VC 1.1 JWT (payload in "vc") says typ "JWT", then it is accepted as that older encoding', async () => {
    const v1 = { iss: ISSUER, nbf: 1767225600, vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'] } };
    expect(await signedWith({ typ: 'JWT' }, v1)).toMatchObject({ ok: true });
  });
});

describe('decodeVcJwt', () => {
  const header = part({ alg: 'EdDSA', typ: 'vc+jwt' });
  test.each([
    ['two parts', `${header}.${part(credential)}`, 'format.not-jws'],
    ['a JWE-like five parts', `${header}.a.b.c.d`, 'format.not-jws'],
    ['a header that is not base64url', `${header}*.${part(credential)}.c2ln`, 'format.base64'],
    ['padded base64', `${header}.${part(credential)}=.c2ln`, 'format.base64'],
    ['a signature that is not base64url', `${header}.${part(credential)}.c2ln+`, 'format.base64'],
    ['a payload that is not JSON', `${header}.${base64urlnopad.encode(new TextEncoder().encode('not json'))}.c2ln`, 'format.json'],
    ['a payload that is a JSON array', `${header}.${part([credential])}.c2ln`, 'format.json'],
    ['a payload that is not UTF-8', `${header}.${base64urlnopad.encode(Uint8Array.of(0x7b, 0xff, 0x7d))}.c2ln`, 'format.json'],
    ['more than the size cap', `${header}.${part({ ...credential, padding: 'x'.repeat(300_000) })}.c2ln`, 'format.too-large'],
  ])('when the token has %s, then it fails with %s', (_label, compact, code) => {
    expect(decodeVcJwt(compact)).toMatchObject({ ok: false, code });
  });

  test('when the token is well formed, then header and payload are returned without checking the signature', () => {
    expect(decodeVcJwt(`${header}.${part(credential)}.c2ln`)).toEqual({ ok: true, header: { alg: 'EdDSA', typ: 'vc+jwt' }, payload: credential });
  });
});
