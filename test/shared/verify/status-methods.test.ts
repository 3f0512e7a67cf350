import { CompactSign, importJWK } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { signVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import { Bitstring } from '../../../shared/status/bitstring.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { createTestIssuer, definition, learner, type TestIssuer } from './test-issuer.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
const status = (report: VerificationReport) => report.checks.find((c) => c.id === 'status');
const LIST_2021 = 'https://issuer.example/status/2021';
const REVOCATIONS = 'https://issuer.example/revocations';
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
});

async function credentialWith(credentialStatus: unknown, id = `urn:uuid:${crypto.randomUUID()}`): Promise<string> {
  const credential = await buildAchievementCredential({ definition, learner, issuerId: issuer.did, credentialId: id, result: { issuedAt: new Date('2026-01-15T10:00:00Z') } });
  return signVcJwt({ ...credential, credentialStatus }, { privateJwk: issuer.key.privateJwk, alg: issuer.key.alg, kid: issuer.kid });
}

/** A StatusList2021Credential (VC 1.1, JWT encoding with `vc`), signed by the issuer, with the given bits set. */
async function publishStatusList2021(purpose: string, setBits: number[], base64Alphabet = false): Promise<void> {
  const list = Bitstring.create();
  for (const bit of setBits) list.set(bit, true);
  let encodedList = await list.encode();
  encodedList = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList;
  if (base64Alphabet) encodedList = Buffer.from(encodedList, 'base64url').toString('base64');
  const vc = {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/vc/status-list/2021/v1'],
    id: LIST_2021,
    type: ['VerifiableCredential', 'StatusList2021Credential'],
    issuer: issuer.did,
    credentialSubject: { id: `${LIST_2021}#list`, type: 'StatusList2021', statusPurpose: purpose, encodedList },
  };
  const payload = { iss: issuer.did, nbf: Date.parse('2026-01-01T00:00:00Z') / 1000, jti: LIST_2021, vc };
  issuer.documents.set(LIST_2021, await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: issuer.kid, typ: 'JWT' }).sign(await importJWK(issuer.key.privateJwk, 'EdDSA')));
}

const entry2021 = (index: number, purpose = 'revocation') => ({ id: `${LIST_2021}#${index}`, type: 'StatusList2021Entry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: LIST_2021 });

describe('VC Status List 2021 (StatusList2021Entry)', () => {
  test('when the bit is clear, then the credential is active; when set, revoked', async () => {
    await publishStatusList2021('revocation', [12]);
    expect(status(await verifyCredential(await credentialWith(entry2021(11)), { documents: issuer.documents, now: NOW }))).toMatchObject({ status: 'passed', code: 'status.active' });
    const revoked = await verifyCredential(await credentialWith(entry2021(12)), { documents: issuer.documents, now: NOW });
    expect(status(revoked)).toMatchObject({ status: 'failed', code: 'status.revoked' });
    expect(revoked.verdict).toBe('revoked');
  });

  test('when the list uses the padded base64 alphabet, then it is still read', async () => {
    await publishStatusList2021('suspension', [40], true);
    const suspended = await verifyCredential(await credentialWith(entry2021(40, 'suspension')), { documents: issuer.documents, now: NOW });
    expect(suspended.verdict).toBe('suspended');
  });

  test('when the list records another purpose, then the status is a failure naming it', async () => {
    await publishStatusList2021('suspension', []);
    expect(status(await verifyCredential(await credentialWith(entry2021(3)), { documents: issuer.documents, now: NOW }))).toMatchObject({ status: 'failed', code: 'status.purpose-mismatch' });
  });
});

describe('1EdTech Revocation List (OB 3.0 1EdTechRevocationList)', () => {
  const revocationEntry = { id: REVOCATIONS, type: '1EdTechRevocationList' };

  test('when the credential id is on the issuer list, then it is revoked with the reason; otherwise active', async () => {
    const id = 'urn:uuid:0d2a3b5e-0000-4000-8000-00000000aaaa';
    issuer.documents.set(REVOCATIONS, { id: REVOCATIONS, issuer: issuer.did, revokedCredentials: [{ id, revocationReason: 'Issued in error' }] });
    const revoked = await verifyCredential(await credentialWith(revocationEntry, id), { documents: issuer.documents, now: NOW });
    expect(status(revoked)).toMatchObject({ status: 'failed', code: 'status.revoked', detail: 'Issued in error' });
    expect(status(await verifyCredential(await credentialWith(revocationEntry), { documents: issuer.documents, now: NOW }))?.code).toBe('status.active');
  });

  test('when the list names another issuer, then the status is not trusted (unverifiable)', async () => {
    issuer.documents.set(REVOCATIONS, { id: REVOCATIONS, issuer: 'did:web:someone-else.example', revokedCredentials: [] });
    const report = await verifyCredential(await credentialWith(revocationEntry), { documents: issuer.documents, now: NOW });
    expect(status(report)).toMatchObject({ status: 'warning', code: 'status.list-issuer-differs' });
    expect(report.verdict).toBe('unverifiable');
  });
});

describe('status entries this verifier cannot evaluate', () => {
  test('when the only entry is of an unknown type, then the status is "not checkable", never silently "not revoked"', async () => {
    const report = await verifyCredential(await credentialWith({ id: 'https://issuer.example/x', type: 'CredentialStatusList2017' }), { documents: issuer.documents, now: NOW });
    expect(status(report)).toMatchObject({ status: 'warning', code: 'status.unsupported-type' });
    expect(report.verdict).toBe('unverifiable');
  });

  test('when an entry is a multi-bit message (statusSize 2), then it is noted and does not stand for revocation', async () => {
    const message = { id: `${issuer.statusListUrl}#9`, type: 'BitstringStatusListEntry', statusPurpose: 'message', statusSize: 2, statusListIndex: '9', statusListCredential: issuer.statusListUrl };
    const report = await verifyCredential(await credentialWith(message), { documents: issuer.documents, now: NOW });
    expect(status(report)).toMatchObject({ status: 'passed', code: 'status.none' });
    expect(status(report)?.message).toContain('status messages were not read');
  });
});
