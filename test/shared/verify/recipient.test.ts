import { beforeAll, describe, expect, test } from 'vitest';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { createTestIssuer, type TestIssuer } from './test-issuer.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
const recipient = (report: VerificationReport) => report.checks.find((c) => c.id === 'recipient');
let issuer: TestIssuer;
let jwt: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  jwt = await issuer.issue();
});

describe('OB 3.0 §B.1 IdentityObject: the recipient the verifier names', () => {
  test('when the email given matches the salted hash (any case), then the recipient check passes', async () => {
    const report = await verifyCredential(jwt, { documents: issuer.documents, now: NOW, recipient: 'Maria.Schneider@example.org' });
    expect(recipient(report)).toMatchObject({ status: 'passed', code: 'recipient.match' });
    expect(report.verdict).toBe('verified');
  });

  test('when the plain-text name matches, then it passes too', async () => {
    expect(recipient(await verifyCredential(jwt, { documents: issuer.documents, now: NOW, recipient: 'Maria Schneider' }))?.status).toBe('passed');
  });

  test('when someone else is named, then the check fails and the credential is not verified for that person', async () => {
    const report = await verifyCredential(jwt, { documents: issuer.documents, now: NOW, recipient: 'someone@example.org' });
    expect(recipient(report)).toMatchObject({ status: 'failed', code: 'recipient.mismatch' });
    expect(report.verified).toBe(false);
  });

  test('when no recipient is given, then the check says it was not checked', async () => {
    expect(recipient(await verifyCredential(jwt, { documents: issuer.documents, now: NOW }))).toMatchObject({ status: 'skipped', code: 'recipient.not-checked' });
  });
});
