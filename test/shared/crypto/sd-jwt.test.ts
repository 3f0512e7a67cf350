import { readFileSync } from 'node:fs';
import { compactVerify, importJWK, type JWK } from 'jose';
import { describe, expect, test } from 'vitest';
import { verifyKeyBinding } from '../../../shared/crypto/sd-jwt-key-binding.ts';
import { discloseClaims, sdDigest, splitSdJwt, type SplitSdJwt } from '../../../shared/crypto/sd-jwt.ts';
import { decodeVcJwt } from '../../../shared/crypto/vc-jwt.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/vectors/sd-jwt/${name}`, import.meta.url), 'utf8').trim();
const ISSUANCE = fixture('rfc9901-5.1-issuance.txt');
const PRESENTATION = fixture('rfc9901-5.2-presentation.txt');
const ISSUER_KEY = JSON.parse(fixture('rfc9901-a.5-issuer-key.json')) as JWK;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function split(text: string): SplitSdJwt {
  const result = splitSdJwt(text);
  if (!result.ok) throw new Error(result.message);
  return result;
}

function disclose(text: string) {
  const { issuerJwt, disclosures } = split(text);
  const decoded = decodeVcJwt(issuerJwt);
  if (!decoded.ok) throw new Error(decoded.message);
  return discloseClaims(decoded.payload, disclosures);
}

/** An unsigned issuer JWT is enough for the disclosure rules; signatures are tested on the RFC vectors and in the pipeline. */
function sdJwtOf(payload: Record<string, unknown>, disclosures: readonly string[]): string {
  return `${encode({ alg: 'ES256' })}.${encode(payload)}.c2ln~${disclosures.map((d) => `${d}~`).join('')}`;
}

describe('RFC 9901 §5.1 issuance example', () => {
  test('the issuer-signed JWT verifies with the Appendix A.5 key', async () => {
    const { payload } = await compactVerify(split(ISSUANCE).issuerJwt, await importJWK(ISSUER_KEY, 'ES256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ iss: 'https://issuer.example.com', _sd_alg: 'sha-256' });
  });

  test('§7.1: all ten disclosures are put back, and _sd, _sd_alg and the array markers are gone', () => {
    const result = disclose(ISSUANCE);
    expect(result).toMatchObject({ ok: true, hashAlg: 'sha-256' });
    if (!result.ok) return;
    expect(result.claims).toEqual({
      iss: 'https://issuer.example.com',
      iat: 1683000000,
      exp: 1883000000,
      sub: 'user_42',
      nationalities: ['US', 'DE'],
      cnf: { jwk: { kty: 'EC', crv: 'P-256', x: 'TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc', y: 'ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ' } },
      given_name: 'John',
      family_name: 'Doe',
      email: 'johndoe@example.com',
      phone_number: '+1-202-555-0101',
      phone_number_verified: true,
      address: { street_address: '123 Main St', locality: 'Anytown', region: 'Anystate', country: 'US' },
      birthdate: '1940-01-01',
      updated_at: 1570000000,
    });
  });

  test('§4.2.3: the digest of the given_name disclosure is the one the RFC prints', () => {
    expect(sdDigest('WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd', 'sha-256')).toBe('jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4');
  });
});

describe('RFC 9901 §5.2 presentation example', () => {
  test('§7.1: only the four disclosed claims appear; the withheld nationality entry and claims vanish', () => {
    const result = disclose(PRESENTATION);
    if (!result.ok) throw new Error(result.message);
    expect(result.claims).toMatchObject({ given_name: 'John', family_name: 'Doe', nationalities: ['US'], address: { country: 'US' } });
    expect(result.claims).not.toHaveProperty('email');
    expect(result.disclosedNames).toEqual(['family_name', 'address', 'given_name']);
  });

  test('§7.3: the KB-JWT verifies against cnf, covers this presentation, and matches the verifier’s audience and nonce', async () => {
    const { keyBindingJwt, presentation } = split(PRESENTATION);
    const claims = disclose(PRESENTATION);
    if (!claims.ok || !keyBindingJwt) throw new Error('vector unreadable');
    const args = { keyBindingJwt, presentation, hashAlg: 'sha-256', claims: claims.claims, notAfter: new Date('2026-01-01T00:00:00Z') };
    expect(await verifyKeyBinding({ ...args, expected: { audience: 'https://verifier.example.org', nonce: '1234567890' } })).toMatchObject({ ok: true, bound: true });
    expect(await verifyKeyBinding(args)).toMatchObject({ ok: true, bound: false });
    expect(await verifyKeyBinding({ ...args, expected: { audience: 'https://verifier.example.org', nonce: 'another' } })).toMatchObject({ ok: false, code: 'holder.kb-nonce' });
    expect(await verifyKeyBinding({ ...args, expected: { audience: 'https://other.example', nonce: '1234567890' } })).toMatchObject({ ok: false, code: 'holder.kb-audience' });
    expect(await verifyKeyBinding({ ...args, notAfter: new Date('2025-01-01T00:00:00Z') })).toMatchObject({ ok: false, code: 'holder.kb-iat' });
  });

  test('§7.3: when a disclosure is dropped from the presentation, then the KB-JWT no longer covers it (sd_hash)', async () => {
    const parts = PRESENTATION.split('~');
    const shorter = [parts[0], ...parts.slice(2)].join('~');
    const { keyBindingJwt, presentation } = split(shorter);
    const claims = disclose(shorter);
    if (!claims.ok || !keyBindingJwt) throw new Error('vector unreadable');
    expect(await verifyKeyBinding({ keyBindingJwt, presentation, hashAlg: 'sha-256', claims: claims.claims, notAfter: new Date('2026-01-01T00:00:00Z') })).toMatchObject({ ok: false, code: 'holder.kb-sd-hash' });
  });

  test('§7.3: when cnf names another key, then the KB-JWT signature is refused', async () => {
    const { keyBindingJwt, presentation } = split(PRESENTATION);
    const claims = disclose(PRESENTATION);
    if (!claims.ok || !keyBindingJwt) throw new Error('vector unreadable');
    const result = await verifyKeyBinding({ keyBindingJwt, presentation, hashAlg: 'sha-256', claims: { ...claims.claims, cnf: { jwk: ISSUER_KEY } }, notAfter: new Date('2026-01-01T00:00:00Z') });
    expect(result).toMatchObject({ ok: false, code: 'holder.kb-signature' });
  });
});

describe('RFC 9901 §7.1 disclosure rules', () => {
  test('when a disclosure of the RFC example is altered, then it is refused as not signed by the issuer', () => {
    const altered = ISSUANCE.replace('WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd', encode(['2GLC42sKQveCfGfryNRN9w', 'given_name', 'Jane']));
    expect(disclose(altered)).toMatchObject({ ok: false, code: 'sd-jwt.disclosure-not-signed', message: expect.stringContaining('"given_name"') });
  });

  test('when a disclosure is given twice, then it is refused', () => {
    const d = 'WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd';
    expect(disclose(ISSUANCE.replace(`~${d}~`, `~${d}~${d}~`))).toMatchObject({ ok: false, code: 'sd-jwt.duplicate-disclosure' });
  });

  test('when the payload repeats a digest, then it is refused', () => {
    const d = encode(['salt', 'name', 'x']);
    const digest = sdDigest(d, 'sha-256');
    expect(disclose(sdJwtOf({ _sd: [digest], nested: { _sd: [digest] } }, [d]))).toMatchObject({ ok: false, code: 'sd-jwt.duplicate-digest' });
  });

  test.each(['sha3-256', 'md5', 42])('when _sd_alg is %s, then it is refused as unsupported', (alg) => {
    expect(disclose(sdJwtOf({ _sd: [], _sd_alg: alg }, []))).toMatchObject({ ok: false, code: 'sd-jwt.unsupported-hash' });
  });

  test('when _sd_alg is sha-384, then digests are computed with SHA-384', () => {
    const d = encode(['salt', 'name', 'Ada']);
    const result = disclose(sdJwtOf({ _sd: [sdDigest(d, 'sha-384')], _sd_alg: 'sha-384' }, [d]));
    expect(result).toMatchObject({ ok: true, hashAlg: 'sha-384', claims: { name: 'Ada' } });
    expect(disclose(sdJwtOf({ _sd: [sdDigest(d, 'sha-256')], _sd_alg: 'sha-384' }, [d]))).toMatchObject({ ok: false, code: 'sd-jwt.disclosure-not-signed' });
  });

  test('when a disclosed name is also in plain text, then it is refused', () => {
    const d = encode(['salt', 'name', 'Ada']);
    expect(disclose(sdJwtOf({ name: 'Bob', _sd: [sdDigest(d, 'sha-256')] }, [d]))).toMatchObject({ ok: false, code: 'sd-jwt.claim-clash' });
  });

  test.each([
    ['_sd as a claim name', ['salt', '_sd', ['x']], 'sd-jwt.bad-disclosure'],
    ['"..." as a claim name', ['salt', '...', 'x'], 'sd-jwt.bad-disclosure'],
    ['four elements', ['salt', 'a', 'b', 'c'], 'sd-jwt.bad-disclosure'],
    ['a non-string salt', [1, 'a', 'b'], 'sd-jwt.bad-disclosure'],
  ])('when a disclosure has %s, then it is refused', (_label, content, code) => {
    const d = encode(content);
    expect(disclose(sdJwtOf({ _sd: [sdDigest(d, 'sha-256')] }, [d]))).toMatchObject({ ok: false, code });
  });

  test('when an array-element disclosure is referenced from _sd, then it is refused as misplaced', () => {
    const d = encode(['salt', 'DE']);
    expect(disclose(sdJwtOf({ _sd: [sdDigest(d, 'sha-256')] }, [d]))).toMatchObject({ ok: false, code: 'sd-jwt.disclosure-misplaced' });
  });

  test('recursive disclosures: a disclosed object may hide claims of its own', () => {
    const inner = encode(['s1', 'country', 'DE']);
    const outer = encode(['s2', 'address', { locality: 'Berlin', _sd: [sdDigest(inner, 'sha-256')] }]);
    expect(disclose(sdJwtOf({ _sd: [sdDigest(outer, 'sha-256')] }, [outer, inner]))).toMatchObject({ ok: true, claims: { address: { locality: 'Berlin', country: 'DE' } } });
    // The inner one alone has nothing to attach to: its digest is inside a withheld disclosure.
    expect(disclose(sdJwtOf({ _sd: [sdDigest(outer, 'sha-256')] }, [inner]))).toMatchObject({ ok: false, code: 'sd-jwt.disclosure-not-signed' });
  });

  test.each([
    ['no trailing ~ and no KB-JWT', 'a.b.c~WyJ4Il0~junk'],
    ['an empty disclosure', 'a.b.c~~'],
  ])('§4: when the SD-JWT has %s, then it is refused as malformed', (_label, text) => {
    expect(splitSdJwt(text)).toMatchObject({ ok: false, code: 'sd-jwt.malformed' });
  });
});
