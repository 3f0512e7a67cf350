import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { jwkFromDidKey } from '../../../shared/crypto/did-key.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import { verifyDataIntegrityProof } from '../../../shared/verify/data-integrity.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';

const vector = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/vectors/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const VECTORS = [
  ['W3C vc-di-eddsa eddsa-rdfc-2022', 'vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json'],
  ['W3C vc-di-eddsa eddsa-jcs-2022', 'vc-di-eddsa/eddsa-jcs-2022/signedJCS.json'],
  ['W3C vc-di-eddsa Ed25519Signature2020', 'vc-di-eddsa/Ed25519Signature2020/signedEdSig.json'],
  ['W3C vc-di-ecdsa ecdsa-rdfc-2019 P-256', 'vc-di-ecdsa/ecdsa-rdfc-2019-p256/signedECDSAP256.json'],
  ['W3C vc-di-ecdsa ecdsa-rdfc-2019 P-384', 'vc-di-ecdsa/ecdsa-rdfc-2019-p384/signedECDSAP384.json'],
] as const;

/** The vectors' own key: the did:key in the proof's verificationMethod. */
function vectorKey(credential: Record<string, unknown>) {
  const kid = (credential.proof as { verificationMethod: string }).verificationMethod;
  const did = kid.split('#')[0]!;
  return { kid, jwk: jwkFromDidKey(did), controller: did };
}

describe.each(VECTORS)('%s test vector', (_name, path) => {
  test('when verified against the key in its proof, then the proof is valid', async () => {
    const credential = vector(path);
    const outcome = await verifyDataIntegrityProof(credential, vectorKey(credential));
    expect(outcome).toMatchObject({ status: 'passed', code: 'signature.valid' });
  });

  test('when a signed member is changed, then the proof fails', async () => {
    const credential = vector(path);
    (credential.credentialSubject as Record<string, unknown>).alumniOf = 'Another School';
    const outcome = await verifyDataIntegrityProof(credential, vectorKey(credential));
    expect(outcome).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('when the proof value is changed, then the proof fails', async () => {
    const credential = vector(path);
    const proof = credential.proof as Record<string, string>;
    proof.proofValue = proof.proofValue!.slice(0, -3) + (proof.proofValue!.endsWith('aaa') ? 'bbb' : 'aaa');
    const outcome = await verifyDataIntegrityProof(credential, vectorKey(credential));
    expect(outcome).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('when the whole pipeline runs, then the verdict is invalid at issuer-key: the vector names an https issuer that never vouched for this did:key', async () => {
    const report = await verifyCredential(vector(path), { documents: new StaticDocuments(), now: () => new Date('2026-01-01T00:00:00Z') });
    expect(report.checks.find((c) => c.id === 'issuer-key')).toMatchObject({ status: 'failed', code: 'key.not-issuers' });
    expect(report.verdict).toBe('invalid');
  });
});

describe('W3C vc-di-ecdsa P-384 key pair', () => {
  test('ECDSA Cryptosuites §2.1.1 Multikey: the P-384 vector proof names the did:key of p384KeyPair.json, which decodes to a P-384 key', () => {
    const pair = vector('vc-di-ecdsa/p384KeyPair.json') as { publicKeyMultibase: string };
    const credential = vector('vc-di-ecdsa/ecdsa-rdfc-2019-p384/signedECDSAP384.json');
    expect(vectorKey(credential).kid).toBe(`did:key:${pair.publicKeyMultibase}#${pair.publicKeyMultibase}`);
    expect(jwkFromDidKey(`did:key:${pair.publicKeyMultibase}`)).toMatchObject({ kty: 'EC', crv: 'P-384' });
  });

  test('when the P-384 proof is checked against another key (that of the P-256 vector), then the proof fails', async () => {
    const credential = vector('vc-di-ecdsa/ecdsa-rdfc-2019-p384/signedECDSAP384.json');
    const p256 = vector('vc-di-ecdsa/ecdsa-rdfc-2019-p256/signedECDSAP256.json');
    const wrongKey = { ...vectorKey(credential), jwk: vectorKey(p256).jwk };
    const outcome = await verifyDataIntegrityProof(credential, wrongKey);
    expect(outcome).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });
});
