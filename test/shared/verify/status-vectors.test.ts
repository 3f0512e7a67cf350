import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { jwkFromDidKey } from '../../../shared/crypto/did-key.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import { verifyDataIntegrityProof } from '../../../shared/verify/data-integrity.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';

const vector = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/vectors/bitstring-status-list-signed/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const FILES = [
  'rec-example-4-revocable-credential-ecdsa-rdfc-2019.json',
  'rec-example-4-revocable-credential-eddsa-rdfc-2022.json',
  'rec-example-5-status-list-credential-ecdsa-rdfc-2019.json',
  'rec-example-5-status-list-credential-eddsa-rdfc-2022.json',
];

/** The key the Recommendation's tooling signed with: the bare did:key in verificationMethod. */
function signingKey(credential: Record<string, unknown>) {
  const did = (credential.proof as { verificationMethod: string }).verificationMethod;
  return { kid: did, jwk: jwkFromDidKey(did), controller: did };
}

describe.each(FILES)('Bitstring Status List v1.0 (REC) secured example %s', (file) => {
  test('when checked against its did:key, then the proof is valid; changed, it fails', async () => {
    const credential = vector(file);
    expect(await verifyDataIntegrityProof(credential, signingKey(credential))).toMatchObject({ status: 'passed' });
    const tampered = vector(file);
    tampered.validFrom = '2030-01-01T00:00:00Z';
    expect(await verifyDataIntegrityProof(tampered, signingKey(tampered))).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('when the whole pipeline runs, then the did:key is reported as not a key of the did:example issuer (invalid)', async () => {
    const report = await verifyCredential(vector(file), { documents: new StaticDocuments() });
    expect(report.checks.find((c) => c.id === 'issuer-key')).toMatchObject({ status: 'failed', code: 'key.not-issuers' });
    expect(report.verdict).toBe('invalid');
  });
});
