import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createSignCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import { pinnedContexts } from '../../../shared/verify/pinned-contexts.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { definition, learner } from './test-issuer.ts';

// Credentials signed here by an independent library (the digitalbazaar stack), one per cryptosuite,
// verified end to end by our pipeline with a did:key issuer.
const NOW = () => new Date('2026-06-01T00:00:00Z');

async function documentLoader(url: string) {
  const document = (await pinnedContexts()).get(url);
  if (!document) throw new Error(`not pinned: ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}

async function credentialFor(did: string, extraContext?: string): Promise<Record<string, unknown>> {
  const credential = await buildAchievementCredential({ definition, learner, issuerId: did, credentialId: `urn:uuid:${crypto.randomUUID()}`, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
  if (extraContext) (credential['@context'] as string[]).push(extraContext);
  return credential;
}

async function ed25519Signer() {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  const exported = await key.export({ publicKey: true, secretKey: true } as never);
  const signer = (await Ed25519Multikey.from({ ...exported, id: `${did}#${key.publicKeyMultibase}`, controller: did })).signer();
  return { did, signer };
}

async function ecdsaRdfc2019Signer(curve: 'P-256' | 'P-384') {
  const key = await EcdsaMultikey.generate({ curve });
  const did = `did:key:${key.publicKeyMultibase}`;
  const signer = (await EcdsaMultikey.from({ ...(await key.export({ publicKey: true, secretKey: true })), id: `${did}#${key.publicKeyMultibase}`, controller: did })).signer();
  return { credential: await credentialFor(did), suite: new DataIntegrityProof({ signer, cryptosuite: ecdsaRdfc2019 }) };
}

const SIGNERS = {
  'ecdsa-rdfc-2019 (P-256)': () => ecdsaRdfc2019Signer('P-256'),
  'ecdsa-rdfc-2019 (P-384)': () => ecdsaRdfc2019Signer('P-384'),
  'eddsa-jcs-2022': async () => {
    const { did, signer } = await ed25519Signer();
    return { credential: await credentialFor(did), suite: new DataIntegrityProof({ signer, cryptosuite: createSignCryptosuite() }) };
  },
  Ed25519Signature2020: async () => {
    const { did, signer } = await ed25519Signer();
    return { credential: await credentialFor(did, 'https://w3id.org/security/suites/ed25519-2020/v1'), suite: new Ed25519Signature2020({ signer }) };
  },
};

/** Records every URL asked for, answers none: proves nothing was fetched. */
function spyDocuments(): DocumentSource & { asked: string[] } {
  const asked: string[] = [];
  const none = async (url: string) => {
    asked.push(url);
    return { ok: false as const, code: 'fetch.network' as const, message: `${url} unreachable` };
  };
  return { asked, getJson: none, getText: none };
}

describe.each(Object.entries(SIGNERS))('Data Integrity %s signed by the digitalbazaar libraries', (_name, make) => {
  test('when verified by our pipeline, then it is verified; when changed, the signature check fails', async () => {
    const { credential, suite } = await make();
    const signed = await vc.issue({ credential, suite, documentLoader });
    const documents = spyDocuments();
    const report = await verifyCredential(signed, { documents, now: NOW });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'passed', code: 'signature.valid' });
    expect(report).toMatchObject({ verified: true, format: 'json-ld' });
    expect(documents.asked).toEqual([]);

    const tampered = structuredClone(signed);
    tampered.name = 'Another title';
    const bad = await verifyCredential(tampered, { documents: new StaticDocuments(), now: NOW });
    expect(bad.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
    expect(bad.verdict).toBe('invalid');
  });
});

describe('remote contexts are never fetched', () => {
  test('when a signed credential adds an unknown @context, then it is refused and the document source saw no request for it', async () => {
    const { credential, suite } = await SIGNERS['eddsa-jcs-2022']();
    const signed = await vc.issue({ credential, suite, documentLoader });
    (signed['@context'] as string[]).push('https://attacker.example/context.jsonld');
    const documents = spyDocuments();
    const report = await verifyCredential(signed, { documents, contextSource: documents, now: NOW });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'failed', code: 'signature.unknown-context' });
    // The local context source may be asked (it is a folder, never the network); the network source is the same spy here.
    expect(documents.asked.filter((url) => url !== 'https://attacker.example/context.jsonld')).toEqual([]);
  });

  test('when no local context source is given, then nothing is asked for the unknown context at all', async () => {
    const { credential, suite } = await SIGNERS['eddsa-jcs-2022']();
    const signed = await vc.issue({ credential, suite, documentLoader });
    (signed['@context'] as string[]).push('https://attacker.example/context.jsonld');
    const documents = spyDocuments();
    const report = await verifyCredential(signed, { documents, now: NOW });
    expect(report.checks.find((c) => c.id === 'signature')?.code).toBe('signature.unknown-context');
    expect(documents.asked).toEqual([]);
  });
});
