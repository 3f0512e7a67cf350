import { describe, expect, test } from 'vitest';
import { buildJwks, findJwk, jwkThumbprintSync } from '../../../shared/crypto/jwks.ts';
import { generateSigningKey, jwkThumbprint, SIGNING_ALGS } from '../../../shared/crypto/keys.ts';

describe('RFC 7517 §5 JWK Set', () => {
  test('when keys are published, then each carries kid, alg and use "sig" and no private member', async () => {
    const keys = await Promise.all(SIGNING_ALGS.map((alg) => generateSigningKey(alg)));
    const jwks = buildJwks(keys.map((key) => ({ kid: key.thumbprint, publicJwk: key.privateJwk, alg: key.alg })));
    expect(jwks.keys).toHaveLength(3);
    jwks.keys.forEach((jwk, i) => {
      expect(jwk).toMatchObject({ kid: keys[i]?.thumbprint, alg: keys[i]?.alg, use: 'sig' });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(member);
    });
  });
});

describe('findJwk', () => {
  test.each([null, 'keys', 42, [], {}, { keys: 'x' }, { keys: [null, 1, 'k', {}, { kid: 'k' }] }])('when the JWKS is malformed (%j), then no key is found', (jwks) => {
    expect(findJwk(jwks, 'k')).toBeUndefined();
  });

  test('when a kid matches exactly, then that key is chosen over a fragment match', async () => {
    const [a, b] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const jwks = { keys: [{ ...a.publicJwk, kid: 'did:web:x#k1' }, { ...b.publicJwk, kid: 'k1' }] };
    expect(findJwk(jwks, 'k1')?.x).toBe(b.publicJwk.x);
    expect(findJwk(jwks, 'did:web:x#k1')?.x).toBe(a.publicJwk.x);
  });

  test('when the kid is a key URL, then the JWKS entry named by its fragment is found, and the reverse', async () => {
    const key = await generateSigningKey();
    expect(findJwk({ keys: [{ ...key.publicJwk, kid: 'k1' }] }, 'https://issuer.example/keys.json#k1')?.x).toBe(key.publicJwk.x);
    expect(findJwk({ keys: [{ ...key.publicJwk, kid: 'did:web:issuer.example#k1' }] }, 'k1')?.x).toBe(key.publicJwk.x);
  });

  test('RFC 7638 §3: when the kid is a bare thumbprint and no entry has that kid, then the key with that thumbprint is found', async () => {
    const [a, b] = await Promise.all([generateSigningKey('ES256'), generateSigningKey('EdDSA')]);
    const jwks = { keys: [a.publicJwk, { ...b.publicJwk, kid: 'other' }] };
    expect(findJwk(jwks, a.thumbprint)).toEqual(a.publicJwk);
    expect(findJwk(jwks, `did:web:issuer.example#${b.thumbprint}`)?.kid).toBe('other');
    expect(findJwk(jwks, 'not-a-thumbprint')).toBeUndefined();
  });

  test.each(SIGNING_ALGS)('RFC 7638 §3: the synchronous %s thumbprint equals jose\'s', async (alg) => {
    const key = await generateSigningKey(alg);
    expect(jwkThumbprintSync(key.publicJwk)).toBe(await jwkThumbprint(key.publicJwk));
  });
});
