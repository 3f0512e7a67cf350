import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';

const vector = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/vectors/ob30-impl-guide/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id);
const ISSUER = 'https://example.edu/issuers/565049';
const KEY = 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';

/** The issuer document the guide implies: its Profile listing the vector key. Records every request. */
function issuerDocuments(): DocumentSource & { asked: string[] } {
  const served = new StaticDocuments().set(ISSUER, { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/security/multikey/v1'], id: ISSUER, type: 'Profile', name: 'Example Corp', verificationMethod: [{ id: `${ISSUER}#${KEY}`, type: 'Multikey', controller: ISSUER, publicKeyMultibase: KEY }] });
  const asked: string[] = [];
  return { asked, getJson: (url) => (asked.push(url), served.getJson(url)), getText: (url) => (asked.push(url), served.getText(url)) };
}

describe('OB 3.0 Implementation Guide: Linked Data Proof test vector for Open Badges 3.0', () => {
  test('when the issuer publishes the key, then the spec vector verifies (only the issuer document is fetched)', async () => {
    const documents = issuerDocuments();
    const report = await verifyCredential(vector('signed-openbadgecredential.json'), { documents, now: () => new Date('2026-06-01T00:00:00Z') });
    expect(check(report, 'issuer-key')).toMatchObject({ status: 'passed', detail: `${ISSUER}#${KEY}` });
    expect(check(report, 'signature')).toMatchObject({ status: 'passed', code: 'signature.valid' });
    expect(report.verified).toBe(true);
    expect(documents.asked).toEqual([ISSUER]);
  });

  test('when the achievement name is changed, then the proof fails', async () => {
    const tampered = vector('signed-openbadgecredential.json');
    ((tampered.credentialSubject as Record<string, Record<string, unknown>>).achievement!).name = 'Leadership';
    const report = await verifyCredential(tampered, { documents: issuerDocuments() });
    expect(check(report, 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('when the issuer does not list the key, then the key check fails', async () => {
    const report = await verifyCredential(vector('signed-openbadgecredential.json'), { documents: new StaticDocuments().set(ISSUER, { id: ISSUER, type: 'Profile', verificationMethod: [] }) });
    expect(check(report, 'issuer-key')).toMatchObject({ status: 'failed', code: 'key.unknown-kid' });
  });
});

describe('OB 3.0 Implementation Guide: Linked Data Proof test vector for CLR 2.0', () => {
  test('when the CLR context is not pinned, then the container proof is refused without fetching the context', async () => {
    const documents = issuerDocuments();
    const report = await verifyCredential(vector('signed-clrcredential.json'), { documents });
    expect(check(report, 'signature')).toMatchObject({ status: 'failed', code: 'signature.unknown-context' });
    expect(documents.asked.some((url) => url.includes('clr/v2p0/context'))).toBe(false);
  });

  test('when the AchievementCredential inside the CLR is verified on its own, then it verifies', async () => {
    const clr = vector('signed-clrcredential.json');
    const inner = ((clr.credentialSubject as Record<string, unknown>).verifiableCredential as Record<string, unknown>[])[0]!;
    const report = await verifyCredential(inner, { documents: issuerDocuments() });
    expect(check(report, 'signature')).toMatchObject({ status: 'passed' });
  });
});
