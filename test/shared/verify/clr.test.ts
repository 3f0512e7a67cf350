import { beforeAll, describe, expect, test } from 'vitest';
import { signVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { createTestIssuer, tamper, type TestIssuer } from './test-issuer.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
});

/** A CLR 2.0 ClrCredential holding the given credentials, signed by the test issuer as a VC-JWT. */
function clr(held: unknown[]): Promise<string> {
  const record = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json'],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer: issuer.did,
    name: 'Learner record',
    validFrom: '2026-02-01T00:00:00Z',
    credentialSubject: { type: 'ClrSubject', verifiableCredential: held },
  };
  return signVcJwt(record, { privateJwk: issuer.key.privateJwk, alg: issuer.key.alg, kid: issuer.kid });
}

describe('CLR 2.0 containers: each credential inside is verified and reported', () => {
  test('when every contained credential verifies, then the record verifies with the inner reports nested in order', async () => {
    const inner = [await issuer.issue(), { '@context': ['https://www.w3.org/ns/credentials/v2'], id: `data:application/vc+jwt,${await issuer.issue()}`, type: 'EnvelopedVerifiableCredential' }];
    const report = await verifyCredential(await clr(inner), { documents: issuer.documents, now: NOW });
    expect(report.checks.find((c) => c.id === 'contained-credentials')).toMatchObject({ status: 'passed', code: 'clr.all-verified' });
    expect(report.inner?.map((r) => r.verified)).toEqual([true, true]);
    expect(report.verified).toBe(true);
  });

  test('when one contained credential was altered, then the record is not verified and the report names which', async () => {
    const altered = tamper(await issuer.issue(), (p) => {
      p.name = 'Something else';
    });
    const report = await verifyCredential(await clr([await issuer.issue(), altered]), { documents: issuer.documents, now: NOW });
    expect(report.checks.find((c) => c.id === 'contained-credentials')).toMatchObject({ status: 'failed', code: 'clr.inner-not-verified', detail: '1: verified, 2: invalid' });
    expect(report.inner?.[1]?.checks.find((c) => c.id === 'signature')?.code).toBe('signature.invalid');
    expect(report.verdict).toBe('invalid');
  });

  test('when a record is nested in a record, then the inner record is refused rather than recursed into', async () => {
    const report = await verifyCredential(await clr([await clr([await issuer.issue()])]), { documents: issuer.documents, now: NOW });
    expect(report.inner?.[0]?.checks.find((c) => c.id === 'contained-credentials')?.code).toBe('clr.nested-too-deep');
    expect(report.verified).toBe(false);
  });
});
