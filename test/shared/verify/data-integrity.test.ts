import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import { pinnedContexts } from '../../../shared/verify/pinned-contexts.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { definition, learner } from './test-issuer.ts';

// Credentials signed here by an independent library (the digitalbazaar stack), verified by our pipeline.
let signed: Record<string, unknown>;

beforeAll(async () => {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  const keyId = `${did}#${key.publicKeyMultibase}`;
  const exported = await key.export({ publicKey: true, secretKey: true } as never);
  const signer = (await Ed25519Multikey.from({ ...exported, id: keyId, controller: did })).signer();
  const contexts = await pinnedContexts();
  const documentLoader = async (url: string) => {
    const document = contexts.get(url);
    if (!document) throw new Error(`not pinned: ${url}`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const credential = await buildAchievementCredential({ definition, learner, issuerId: did, credentialId: 'urn:uuid:0b6a3a34-2f54-4f7e-9d1b-000000000042', result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
  signed = await vc.issue({ credential, suite: new DataIntegrityProof({ signer, cryptosuite }), documentLoader });
});

describe('Data Integrity eddsa-rdfc-2022 (VC Data Integrity §4.5)', () => {
  test('when a did:key issuer signs with the digitalbazaar libraries, then our pipeline verifies it', async () => {
    const report = await verifyCredential(JSON.stringify(signed), { documents: new StaticDocuments() });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'passed', code: 'signature.valid' });
    expect(report).toMatchObject({ verified: true, verdict: 'verified', format: 'json-ld' });
  });

  test('when a signed member is changed, then the proof fails', async () => {
    const tampered = structuredClone(signed);
    tampered.name = 'Something else entirely';
    const report = await verifyCredential(tampered, { documents: new StaticDocuments() });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
    expect(report.verdict).toBe('invalid');
  });

  test('when the credential pulls in a context we have not pinned, then it is refused without fetching it', async () => {
    const sneaky = structuredClone(signed);
    (sneaky['@context'] as string[]).push('https://attacker.example/context.jsonld');
    const documents = new StaticDocuments();
    const report = await verifyCredential(sneaky, { documents });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'failed', code: 'signature.unknown-context' });
  });

  test('when the proof uses a cryptosuite we do not support, then the report names it', async () => {
    const other = structuredClone(signed);
    (other.proof as Record<string, unknown>).cryptosuite = 'bbs-2023';
    const report = await verifyCredential(other, { documents: new StaticDocuments() });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'failed', code: 'signature.unsupported-proof' });
    expect(report.checks.find((c) => c.id === 'signature')?.message).toContain('bbs-2023');
  });
});
