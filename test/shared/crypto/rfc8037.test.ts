import { readFileSync } from 'node:fs';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { describe, expect, test } from 'vitest';
import { didKeyFromJwk, jwkFromDidKey } from '../../../shared/crypto/did-key.ts';
import { jwkThumbprintSync } from '../../../shared/crypto/jwks.ts';
import { jwkThumbprint, publicJwkOf } from '../../../shared/crypto/keys.ts';

const vector = (file: string) => readFileSync(new URL(`../../fixtures/vectors/rfc8037/${file}`, import.meta.url), 'utf8').trim();
const privateJwk = JSON.parse(vector('a1-ed25519-private-key.jwk.json')) as JWK;
const publicJwk = publicJwkOf(privateJwk);
const compact = vector('a4-jws-compact.txt');

describe('RFC 8037 Appendix A', () => {
  test('RFC 8037 A.3: the JWK thumbprint of the A.1 public key', async () => {
    expect(jwkThumbprintSync(publicJwk)).toBe(vector('a3-jwk-thumbprint.txt'));
    expect(await jwkThumbprint(privateJwk)).toBe(vector('a3-jwk-thumbprint.txt'));
  });

  test('RFC 8037 A.4/A.5: the Ed25519 signature verifies under the A.1 key with only EdDSA allowed', async () => {
    const result = await compactVerify(compact, await importJWK(publicJwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    expect(result.protectedHeader).toEqual({ alg: 'EdDSA' });
    expect(new TextDecoder().decode(result.payload)).toBe(vector('a4-payload.txt'));
  });

  test('RFC 8037 A.4: signing the payload with the A.1 key reproduces the vector (Ed25519 is deterministic)', async () => {
    const signed = await new CompactSign(new TextEncoder().encode(vector('a4-payload.txt')))
      .setProtectedHeader({ alg: 'EdDSA' })
      .sign(await importJWK(privateJwk, 'EdDSA'));
    expect(signed).toBe(compact);
  });

  test('RFC 8037 A.4: one changed signature character fails verification', async () => {
    const last = compact.at(-2) === 'A' ? 'B' : 'A';
    const damaged = `${compact.slice(0, -2)}${last}${compact.at(-1)}`;
    await expect(compactVerify(damaged, await importJWK(publicJwk, 'EdDSA'))).rejects.toThrow();
  });

  test('when the A.1 public key is written as a did:key, then it reads back unchanged', () => {
    const did = didKeyFromJwk(publicJwk);
    expect(did).toMatch(/^did:key:z6Mk/);
    expect(jwkFromDidKey(did)).toEqual(publicJwk);
  });
});
