import { CompactSign, importJWK, type JWK } from 'jose';
import { describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { didJwkFromJwk } from '../../../shared/crypto/did-jwk.ts';
import { didKeyFromJwk } from '../../../shared/crypto/did-key.ts';
import { generateSigningKey, publicJwkOf, type SigningKeyPair } from '../../../shared/crypto/keys.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { definition, learner } from './test-issuer.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
const keyCheck = (report: VerificationReport) => report.checks.find((c) => c.id === 'issuer-key');

/** A VC-JWT with exactly the protected header given (VC-JOSE-COSE: the payload is the credential). */
async function jwtWith(issuerId: string, key: SigningKeyPair, header: Record<string, unknown>): Promise<string> {
  const credential = await buildAchievementCredential({ definition, learner, issuerId, credentialId: `urn:uuid:${crypto.randomUUID()}`, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
  const payload = { ...credential, iss: issuerId, nbf: Math.floor(Date.parse('2026-01-15T10:00:00Z') / 1000) };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', ...header }).sign(await importJWK(key.privateJwk, 'EdDSA'));
}

function didWebDocument(did: string, keys: { id: string; jwk: JWK }[]) {
  return { '@context': ['https://www.w3.org/ns/did/v1'], id: did, verificationMethod: keys.map((k) => ({ id: k.id, type: 'JsonWebKey2020', controller: did, publicKeyJwk: publicJwkOf(k.jwk) })), assertionMethod: keys.map((k) => k.id) };
}

describe('issuer key discovery', () => {
  test('did:jwk: when the issuer is a did:jwk and the kid is #0, then the key is the DID itself', async () => {
    const key = await generateSigningKey();
    const did = didJwkFromJwk(key.publicJwk);
    const report = await verifyCredential(await jwtWith(did, key, { kid: `${did}#0` }), { documents: new StaticDocuments(), now: NOW });
    expect(keyCheck(report)).toMatchObject({ status: 'passed' });
    expect(report.verdict).toBe('verified');
  });

  test('did:jwk: when the DID holds a private key or garbage, then it is refused', async () => {
    const key = await generateSigningKey();
    const withPrivate = `did:jwk:${Buffer.from(JSON.stringify(key.privateJwk)).toString('base64url')}`;
    const report = await verifyCredential(await jwtWith(withPrivate, key, { kid: `${withPrivate}#0` }), { documents: new StaticDocuments(), now: NOW });
    expect(keyCheck(report)).toMatchObject({ status: 'failed', code: 'key.unresolvable' });
  });

  test('when the kid is a bare RFC 7638 thumbprint that is not a method id, then the did:web key with that thumbprint is found', async () => {
    const key = await generateSigningKey();
    const did = 'did:web:school.example';
    const documents = new StaticDocuments().set('https://school.example/.well-known/did.json', didWebDocument(did, [{ id: `${did}#key-1`, jwk: key.publicJwk }]));
    const report = await verifyCredential(await jwtWith(did, key, { kid: key.thumbprint }), { documents, now: NOW });
    expect(keyCheck(report)).toMatchObject({ status: 'passed', detail: `${did}#key-1` });
  });

  test('jwk header: when it is one of the issuer keys and there is no kid, then it selects that key', async () => {
    const key = await generateSigningKey();
    const did = 'did:web:school.example';
    const documents = new StaticDocuments().set('https://school.example/.well-known/did.json', didWebDocument(did, [{ id: `${did}#key-1`, jwk: key.publicJwk }]));
    const report = await verifyCredential(await jwtWith(did, key, { jwk: publicJwkOf(key.publicJwk) }), { documents, now: NOW });
    expect(report.verdict).toBe('verified');
  });

  test('jwk header: when it is not one of the issuer keys, then it is not trusted, even though it verifies its own signature', async () => {
    const issuerKey = await generateSigningKey();
    const attacker = await generateSigningKey();
    const did = 'did:web:school.example';
    const documents = new StaticDocuments().set('https://school.example/.well-known/did.json', didWebDocument(did, [{ id: `${did}#key-1`, jwk: issuerKey.publicJwk }]));
    const noKid = await verifyCredential(await jwtWith(did, attacker, { jwk: publicJwkOf(attacker.publicJwk) }), { documents, now: NOW });
    expect(keyCheck(noKid)).toMatchObject({ status: 'failed', code: 'key.unknown-kid' });
    const withKid = await verifyCredential(await jwtWith(did, attacker, { kid: `${did}#key-1`, jwk: publicJwkOf(attacker.publicJwk) }), { documents, now: NOW });
    expect(keyCheck(withKid)).toMatchObject({ status: 'failed', code: 'key.jwk-not-issuers' });
    expect(withKid.verdict).toBe('invalid');
  });

  test('did:key: when the header carries the did:key public key as jwk and no kid, then it is the issuer key', async () => {
    const key = await generateSigningKey();
    const did = didKeyFromJwk(key.publicJwk);
    const report = await verifyCredential(await jwtWith(did, key, { jwk: publicJwkOf(key.publicJwk) }), { documents: new StaticDocuments(), now: NOW });
    expect(report.verdict).toBe('verified');
  });
});
