import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { generateSigningKey, publicJwkOf, type SigningAlg, type SigningKeyPair } from '../../../shared/crypto/keys.ts';
import { signVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { definition, learner } from './test-issuer.ts';

const ISSUER = 'https://college.example/issuer';
const NOW = () => new Date('2026-06-01T12:00:00Z');
const keyCheck = (report: VerificationReport) => report.checks.find((c) => c.id === 'issuer-key');

async function issueWith(alg: SigningAlg, kid: string) {
  return issueWithKey(await generateSigningKey(alg), kid);
}

async function issueWithKey(key: SigningKeyPair, kid: string) {
  const credential = await buildAchievementCredential({ definition, learner, issuerId: ISSUER, credentialId: `urn:uuid:${crypto.randomUUID()}`, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
  return { key, jwt: await signVcJwt(credential, { privateJwk: key.privateJwk, alg: key.alg, kid }) };
}

describe('https issuers that list their keys in their profile (no JWKS)', () => {
  test('when the profile embeds the key as publicKeyJwk and the kid is a bare id, then it is found', async () => {
    const { key, jwt } = await issueWith('EdDSA', 'key-2026');
    const documents = new StaticDocuments().set(ISSUER, { id: ISSUER, type: 'Profile', publicKey: [{ id: `${ISSUER}#key-2026`, owner: ISSUER, publicKeyJwk: publicJwkOf(key.publicJwk) }] });
    const report = await verifyCredential(jwt, { documents, now: NOW });
    expect(keyCheck(report)).toMatchObject({ status: 'passed', detail: `${ISSUER}#key-2026` });
    expect(report.verdict).toBe('verified');
  });

  test('when the profile links an OB 2.0 CryptographicKey with a PEM (RS256), then it is found by its URL', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keyUrl = 'https://college.example/keys/1';
    const credential = await buildAchievementCredential({ definition, learner, issuerId: ISSUER, credentialId: `urn:uuid:${crypto.randomUUID()}`, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
    const jwt = await signVcJwt(credential, { privateJwk: privateKey.export({ format: 'jwk' }) as never, alg: 'RS256', kid: keyUrl });
    const documents = new StaticDocuments()
      .set(keyUrl, { id: keyUrl, type: 'CryptographicKey', owner: ISSUER, publicKeyPem: pem })
      .set(ISSUER, { id: ISSUER, publicKey: keyUrl });
    expect((await verifyCredential(jwt, { documents, now: NOW })).verdict).toBe('verified');
  });

  test('when the kid is the thumbprint of a key in the profile, then it is found; a key controlled by someone else is not', async () => {
    const key = await generateSigningKey('ES256');
    const { jwt } = await issueWithKey(key, key.thumbprint);
    const profile = (controller: string) => ({ id: ISSUER, verificationMethod: [{ id: '#k', type: 'JsonWebKey2020', controller, publicKeyJwk: publicJwkOf(key.publicJwk) }] });
    const own = await verifyCredential(jwt, { documents: new StaticDocuments().set(ISSUER, profile(ISSUER)), now: NOW });
    expect(keyCheck(own)).toMatchObject({ status: 'passed', detail: `${ISSUER}#k` });
    const foreign = await verifyCredential(jwt, { documents: new StaticDocuments().set(ISSUER, profile('https://other.example/me')), now: NOW });
    expect(keyCheck(foreign)).toMatchObject({ status: 'failed' });
  });

  test('when a key document claims the issuer as owner but the issuer profile does not list it, then it is refused', async () => {
    const key = await generateSigningKey('EdDSA');
    const keyUrl = 'https://college.example/keys/planted';
    const { jwt } = await issueWithKey(key, keyUrl);
    const documents = new StaticDocuments().set(keyUrl, { id: keyUrl, owner: ISSUER, publicKeyJwk: publicJwkOf(key.publicJwk) }).set(ISSUER, { id: ISSUER, publicKey: [] });
    expect(keyCheck(await verifyCredential(jwt, { documents, now: NOW }))).toMatchObject({ status: 'failed', code: 'key.unknown-kid' });
  });
});
