import { CompactSign, importJWK } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { didKeyFromJwk } from '../../../shared/crypto/did-key.ts';
import { generateSigningKey, type SigningKeyPair } from '../../../shared/crypto/keys.ts';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
const NBF = Date.parse('2026-01-15T10:00:00Z') / 1000;
const format = (report: VerificationReport) => report.checks.find((c) => c.id === 'format');
let key: SigningKeyPair;
let did: string;

beforeAll(async () => {
  key = await generateSigningKey();
  did = didKeyFromJwk(key.publicJwk);
});

/** The VC Data Model 1.1 JWT encoding (§6.3.1) as older OB 3.0 issuers emit it: the credential in `vc`. */
async function v11Jwt(claims: Record<string, unknown> = {}, vc: Record<string, unknown> = {}, header: Record<string, unknown> = { typ: 'JWT' }): Promise<string> {
  const payload = {
    iss: did,
    nbf: NBF,
    jti: 'urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002',
    sub: 'did:example:learner',
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did, type: 'Profile', name: 'Example University' },
      credentialSubject: { type: 'AchievementSubject', achievement: { id: 'https://example.edu/achievements/1', type: 'Achievement', name: 'Teamwork' } },
      ...vc,
    },
    ...claims,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: `${did}#${did.slice(8)}`, ...header }).sign(await importJWK(key.privateJwk, 'EdDSA'));
}

const verify = (jwt: string, now = NOW) => verifyCredential(jwt, { documents: new StaticDocuments(), now });

describe('VC Data Model 1.1 §6.3.1 JWT encoding (the older OB 3.0 VC-JWT)', () => {
  test('when registered claims stand for issuer, id, subject and dates, then it is read as what it is and verifies', async () => {
    const report = await verify(await v11Jwt());
    expect(report).toMatchObject({ format: 'vc-jwt-v1', verified: true });
    expect(report.credential).toMatchObject({ id: 'urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002', issuanceDate: '2026-01-15T10:00:00Z', credentialSubject: { id: 'did:example:learner' } });
  });

  test('when exp has passed, then the credential is expired', async () => {
    const report = await verify(await v11Jwt({ exp: NBF + 86_400 }));
    expect(report.verdict).toBe('expired');
    expect(report.credential?.expirationDate).toBe('2026-01-16T10:00:00Z');
  });

  test('when nbf, exp, iss, jti or sub contradict the vc claim, then the format check names the claim', async () => {
    expect(format(await verify(await v11Jwt({}, { issuanceDate: '2025-01-01T00:00:00Z' })))?.code).toBe('format.nbf-mismatch');
    expect(format(await verify(await v11Jwt({ exp: NBF + 10 }, { expirationDate: '2030-01-01T00:00:00Z' })))?.code).toBe('format.exp-mismatch');
    expect(format(await verify(await v11Jwt({ iss: 'did:web:other.example' })))?.code).toBe('format.iss-mismatch');
    expect(format(await verify(await v11Jwt({}, { id: 'urn:uuid:other' })))?.code).toBe('format.jti-mismatch');
    expect(format(await verify(await v11Jwt({}, { credentialSubject: { id: 'did:example:someone-else' } })))?.code).toBe('format.sub-mismatch');
  });

  test('when a VC 1.1 credential has neither nbf nor issuanceDate, then it is refused (issuanceDate is required)', async () => {
    expect(format(await verify(await v11Jwt({ nbf: undefined })))?.code).toBe('format.issuance-date');
  });

  test('VC-JOSE-COSE: when a VC 2.0 payload carries a vc claim, then it is refused', async () => {
    const v2 = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: did, validFrom: '2026-01-15T10:00:00Z', credentialSubject: { id: 'did:example:learner' } };
    const jwt = await v11Jwt(v2, {}, { typ: 'vc+jwt' });
    const report = await verify(jwt);
    expect(report.format).toBe('vc-jwt');
    expect(format(report)).toMatchObject({ status: 'failed', code: 'format.vc-claim' });
    expect(report.verdict).toBe('invalid');
  });

  test('RFC 9901 §7.1: when a JWT is followed by a disclosure it never signed, then it is refused instead of being misread', async () => {
    const jwt = await v11Jwt();
    const report = await verifyCredential(`${jwt}~WyJzYWx0IiwiYSIsMV0~`, { documents: new StaticDocuments(), now: NOW });
    expect(report.checks[0]?.code).toBe('sd-jwt.disclosure-not-signed');
    expect(report.verdict).toBe('invalid');
  });

  test('VC-JOSE-COSE §3.2: when a VC 1.1 JWT is sent as an SD-JWT, then it is refused: an SD-JWT payload is the credential itself, not a vc wrapper', async () => {
    const report = await verifyCredential(`${await v11Jwt()}~`, { documents: new StaticDocuments(), now: NOW });
    expect(report.format).toBe('vc-sd-jwt');
    expect(format(report)).toMatchObject({ status: 'failed', code: 'format.context' });
  });
});
