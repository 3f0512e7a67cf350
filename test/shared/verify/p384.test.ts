import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { didKeyFromJwk } from '../../../shared/crypto/did-key.ts';
import { buildDidWebDocument } from '../../../shared/crypto/did-web.ts';
import { vcJwtClaims } from '../../../shared/crypto/vc-jwt.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { issueSdJwt } from './sd-jwt-issuer.ts';
import { definition, learner, tamper } from './test-issuer.ts';

// P-384 issuers (RFC 7518 §3.4 ES384; did:key multicodec p384-pub 0x1201): VC-JWTs and SD-JWTs
// signed here with jose, verified by the pipeline through did:key and did:web key discovery.
const NOW = () => new Date('2026-06-01T12:00:00Z');
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id);

async function p384Key(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

async function credentialOf(issuerId: string) {
  return buildAchievementCredential({ definition, learner, issuerId, credentialId: `urn:uuid:${crypto.randomUUID()}`, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
}

async function signEs384(claims: Record<string, unknown>, privateJwk: JWK, kid: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'ES384', kid, typ: 'vc+jwt' }).sign(await importJWK(privateJwk, 'ES384'));
}

describe('ES384 VC-JWTs', () => {
  test('did:key P-384 issuer: when an ES384 VC-JWT is verified, then it passes; when its payload changes, the signature fails', async () => {
    const key = await p384Key();
    const did = didKeyFromJwk(key.publicJwk);
    expect(did).toMatch(/^did:key:z82/);
    const jwt = await signEs384(vcJwtClaims(await credentialOf(did)), key.privateJwk, `${did}#${did.slice('did:key:'.length)}`);
    const report = await verifyCredential(jwt, { documents: new StaticDocuments(), now: NOW });
    expect(check(report, 'signature')).toMatchObject({ status: 'passed', code: 'signature.valid' });
    expect(report).toMatchObject({ verified: true, format: 'vc-jwt' });

    const changed = tamper(jwt, (p) => {
      p.name = 'Another title';
    });
    expect(check(await verifyCredential(changed, { documents: new StaticDocuments(), now: NOW }), 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('did:web issuer with a P-384 JsonWebKey2020 method: when an ES384 VC-JWT is verified, then the key is found and the signature passes', async () => {
    const key = await p384Key();
    const did = 'did:web:p384.example';
    const kid = `${did}#key-1`;
    const documents = new StaticDocuments();
    documents.set('https://p384.example/.well-known/did.json', buildDidWebDocument(did, [{ kid, publicJwk: key.publicJwk }]));
    const report = await verifyCredential(await signEs384(vcJwtClaims(await credentialOf(did)), key.privateJwk, kid), { documents, now: NOW });
    expect(check(report, 'issuer-key')).toMatchObject({ status: 'passed', detail: kid });
    expect(report.verified).toBe(true);
  });

  test('when a token made with a P-384 key claims ES256, then the algorithm is refused before any cryptography', async () => {
    const key = await p384Key();
    const did = didKeyFromJwk(key.publicJwk);
    const signed = await signEs384(vcJwtClaims(await credentialOf(did)), key.privateJwk, did);
    const jwt = [Buffer.from(JSON.stringify({ alg: 'ES256', kid: did, typ: 'vc+jwt' })).toString('base64url'), ...signed.split('.').slice(1)].join('.');
    expect(check(await verifyCredential(jwt, { documents: new StaticDocuments(), now: NOW }), 'signature')).toMatchObject({ status: 'failed', code: 'signature.alg-mismatch' });
  });
});

describe('ES384 SD-JWT credentials', () => {
  test('did:key P-384 issuer: an ES384 SD-JWT with disclosures verifies; a forged disclosure is refused', async () => {
    const key = await p384Key();
    const did = didKeyFromJwk(key.publicJwk);
    const issued = await issueSdJwt(await credentialOf(did), { privateJwk: key.privateJwk, alg: 'ES384', kid: did, disclosable: ['name', 'credentialSubject.achievement'], sdAlg: 'sha-384' });
    const report = await verifyCredential(issued.sdJwt, { documents: new StaticDocuments(), now: NOW });
    expect(report).toMatchObject({ verified: true, format: 'vc-sd-jwt' });

    const forged = issued.sdJwt.replace(issued.disclosures.get('name') as string, Buffer.from(JSON.stringify(['salt', 'name', 'Forged'])).toString('base64url'));
    expect((await verifyCredential(forged, { documents: new StaticDocuments(), now: NOW })).checks[0]).toMatchObject({ code: 'sd-jwt.disclosure-not-signed' });
  });
});
