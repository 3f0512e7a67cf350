import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createSignCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { buildJwks } from '../../../shared/crypto/jwks.ts';
import { generateSigningKey } from '../../../shared/crypto/keys.ts';
import { signVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import { createMappedDocumentSource, parseDocumentMap } from '../../../shared/net/documents-dir.ts';
import { pinnedContexts } from '../../../shared/verify/pinned-contexts.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { createTestIssuer, definition, learner, type TestIssuer } from './test-issuer.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id);
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
});

/** A documents folder held in memory: map.json content plus its files. */
function folder(map: Record<string, string>, files: Record<string, string>, network?: DocumentSource) {
  const parsed = parseDocumentMap(map);
  if (!parsed.ok) throw new Error(parsed.message);
  return createMappedDocumentSource({ map: parsed.map, readFile: async (name) => files[name], ...(network ? { network } : {}) });
}

/** A network that records what it was asked and serves what `served` holds. */
function network(served: DocumentSource): DocumentSource & { asked: string[] } {
  const asked: string[] = [];
  return { asked, getJson: (url) => (asked.push(url), served.getJson(url)), getText: (url, accept) => (asked.push(url), served.getText(url, accept)) };
}

const fileOf = async (source: DocumentSource, url: string) => {
  const got = await source.getText(url, '*/*');
  if (!got.ok) throw new Error(got.message);
  return got.value;
};

describe('documents folder (map.json) and --offline', () => {
  test('when map.json holds the did:web document (keyed by DID) and the status list, then offline verification is complete', async () => {
    const jwt = await issuer.issue({ index: 3 });
    const files = { 'did.json': await fileOf(issuer.documents, 'https://issuer.example/.well-known/did.json'), 'status.jwt': await fileOf(issuer.documents, issuer.statusListUrl) };
    const documents = folder({ [issuer.did]: 'did.json', [issuer.statusListUrl]: 'status.jwt' }, files);
    const report = await verifyCredential(jwt, { documents, offline: true, now: NOW });
    expect(check(report, 'status')).toMatchObject({ status: 'passed', code: 'status.active' });
    expect(report.verdict).toBe('verified');
  });

  test('when offline and the folder lacks the issuer keys, then key and signature say "not checked" and the verdict is unverifiable', async () => {
    const report = await verifyCredential(await issuer.issue(), { documents: folder({}, {}), offline: true, now: NOW });
    expect(check(report, 'issuer-key')).toMatchObject({ status: 'skipped', code: 'key.not-checked-offline' });
    expect(check(report, 'signature')).toMatchObject({ status: 'skipped', code: 'signature.not-checked-offline' });
    expect(report).toMatchObject({ verified: false, verdict: 'unverifiable' });
  });

  test('when offline and only the status list is missing, then status says "not checked" (not "failed") and the verdict is unverifiable', async () => {
    const files = { 'did.json': await fileOf(issuer.documents, 'https://issuer.example/.well-known/did.json') };
    const report = await verifyCredential(await issuer.issue({ index: 4 }), { documents: folder({ 'https://issuer.example/.well-known/did.json': 'did.json' }, files), offline: true, now: NOW });
    expect(check(report, 'signature')?.status).toBe('passed');
    expect(check(report, 'status')).toMatchObject({ status: 'skipped', code: 'status.not-checked-offline' });
    expect(report.verdict).toBe('unverifiable');
  });

  test('when online, then the map is used first and only what it lacks is fetched', async () => {
    const files = { 'did.json': await fileOf(issuer.documents, 'https://issuer.example/.well-known/did.json') };
    const net = network(issuer.documents);
    const report = await verifyCredential(await issuer.issue({ index: 5 }), { documents: folder({ [issuer.did]: 'did.json' }, files, net), now: NOW });
    expect(report.verdict).toBe('verified');
    expect(net.asked).toEqual([issuer.statusListUrl]);
  });

  test('when an https issuer publishes a JWKS, then the map serves it offline', async () => {
    const key = await generateSigningKey();
    const credential = await buildAchievementCredential({ definition, learner, issuerId: 'https://university.example', credentialId: 'urn:uuid:5d7c0d40-0000-4000-8000-000000000001', result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
    const jwt = await signVcJwt(credential, { privateJwk: key.privateJwk, alg: 'EdDSA', kid: key.thumbprint });
    const jwks = JSON.stringify(buildJwks([{ kid: key.thumbprint, publicJwk: key.publicJwk, alg: 'EdDSA' }]));
    const report = await verifyCredential(jwt, { documents: folder({ 'https://university.example/.well-known/jwks.json': 'jwks.json' }, { 'jwks.json': jwks }), offline: true, now: NOW });
    expect(check(report, 'issuer-key')?.status).toBe('passed');
    expect(report.verdict).toBe('verified');
  });

  test('when a credential uses a context the folder holds, then it is read from the folder (never the network)', async () => {
    const contextUrl = 'https://university.example/contexts/v1.jsonld';
    const context = { '@context': { '@protected': true, campus: 'https://university.example/vocab#campus' } };
    const key = await Ed25519Multikey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    const signer = (await Ed25519Multikey.from({ ...(await key.export({ publicKey: true, secretKey: true } as never)), id: `${did}#${key.publicKeyMultibase}`, controller: did })).signer();
    const credential = await buildAchievementCredential({ definition, learner, issuerId: did, credentialId: 'urn:uuid:5d7c0d40-0000-4000-8000-000000000002', result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
    (credential['@context'] as string[]).push(contextUrl);
    credential.campus = 'Vienna';
    const pinned = await pinnedContexts();
    const documentLoader = async (url: string) => ({ contextUrl: null, documentUrl: url, document: url === contextUrl ? context : pinned.get(url) });
    const signed = await vc.issue({ credential, suite: new DataIntegrityProof({ signer, cryptosuite: createSignCryptosuite() }), documentLoader });
    const net = network(folder({}, {}));
    const documents = folder({ [contextUrl]: 'context.json' }, { 'context.json': JSON.stringify(context) }, net);
    const report = await verifyCredential(signed, { documents, contextSource: documents.local, now: NOW });
    expect(check(report, 'signature')).toMatchObject({ status: 'passed' });
    expect(net.asked).toEqual([]);
  });

  test('when map.json names files outside the folder or keys that are not URLs, then it is refused', () => {
    expect(parseDocumentMap({ 'https://a.example/x': '../secret' })).toMatchObject({ ok: false, code: 'documents.bad-map' });
    expect(parseDocumentMap({ 'https://a.example/x': '/etc/passwd' })).toMatchObject({ ok: false });
    expect(parseDocumentMap({ 'not a url': 'x.json' })).toMatchObject({ ok: false });
    expect(parseDocumentMap(['x'])).toMatchObject({ ok: false });
    expect(parseDocumentMap({ 'did:web:a.example': 'sub/did.json' })).toMatchObject({ ok: true });
  });
});
