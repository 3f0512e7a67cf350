import { beforeAll, describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { buildStatusEntry } from '../../../shared/status/status-list-credential.ts';
import type { VerificationReport, VerifyOptions } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { holderKey, issueSdJwt, present, type SdJwtIssueOptions } from './sd-jwt-issuer.ts';
import { createTestIssuer, definition, learner, type TestIssuer } from './test-issuer.ts';

// W3C credentials secured as SD-JWT (VC-JOSE-COSE §3.2, RFC 9901), issued here with jose and
// node:crypto (test/shared/verify/sd-jwt-issuer.ts) by a did:web issuer, verified by the pipeline.
const NOW = new Date('2026-06-01T12:00:00Z');
const IAT = Math.floor(NOW.getTime() / 1000) - 30;
const DISCLOSABLE = ['name', 'credentialSubject.achievement', 'credentialSubject.identifier', 'credentialSubject.creditsEarned'];
let issuer: TestIssuer;
const options = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ documents: issuer.documents, now: () => NOW, ...extra });
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id);

async function credential(index?: number): Promise<Record<string, unknown>> {
  return buildAchievementCredential({
    definition,
    learner,
    issuerId: issuer.did,
    credentialId: `urn:uuid:${crypto.randomUUID()}`,
    result: { issuedAt: new Date('2026-01-15T10:00:00Z') },
    ...(index === undefined ? {} : { credentialStatus: buildStatusEntry({ listCredentialUrl: issuer.statusListUrl, index, statusPurpose: 'revocation' }) }),
  });
}

async function issue(extra: Partial<SdJwtIssueOptions> = {}, index?: number) {
  return issueSdJwt(await credential(index), { privateJwk: issuer.key.privateJwk, alg: 'EdDSA', kid: issuer.kid, disclosable: DISCLOSABLE, ...extra });
}

beforeAll(async () => {
  issuer = await createTestIssuer('sd-issuer.example');
});

describe('VC-JOSE-COSE §3.2 SD-JWT credentials through the verification pipeline', () => {
  test('when every claim is disclosed, then the rebuilt credential passes every check and holder binding is reported not checked', async () => {
    const { sdJwt } = await issue({}, 3);
    const report = await verifyCredential(sdJwt, options());
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['format', 'passed'],
      ['issuer-key', 'passed'],
      ['signature', 'passed'],
      ['holder-binding', 'skipped'],
      ['validity-window', 'passed'],
      ['status', 'passed'],
      ['recipient', 'skipped'],
      ['contained-credentials', 'skipped'],
      ['eu-completeness', 'passed'],
      ['issuer-trust', 'skipped'],
    ]);
    expect(check(report, 'holder-binding')).toMatchObject({ code: 'holder.not-checked', message: expect.stringContaining('Holder binding not checked') });
    expect(check(report, 'format')?.message).toContain('achievement');
    expect(report).toMatchObject({ verified: true, verdict: 'verified', format: 'vc-sd-jwt', issuer: { id: issuer.did } });
    expect(report.credential).not.toHaveProperty('_sd');
    expect(report.credential?.credentialSubject).toMatchObject({ achievement: { name: expect.any(String) } });
  });

  test('when the holder withholds the achievement, then the credential is authentic but the EU elements it carried are missing', async () => {
    const issued = await issue();
    const report = await verifyCredential(await present(issued, ['name', 'credentialSubject.identifier', 'credentialSubject.creditsEarned']), options());
    expect(check(report, 'signature')?.status).toBe('passed');
    expect(report.credential?.credentialSubject).not.toHaveProperty('achievement');
    expect(check(report, 'eu-completeness')?.status).toBe('warning');
    expect(report.verdict).toBe('incomplete');
  });

  test('when a disclosure is changed after issuance, then the input is refused with the claim named', async () => {
    const issued = await issue();
    const original = issued.disclosures.get('credentialSubject.creditsEarned') as string;
    const [salt] = JSON.parse(Buffer.from(original, 'base64url').toString('utf8')) as [string];
    const forged = Buffer.from(JSON.stringify([salt, 'creditsEarned', 60])).toString('base64url');
    const report = await verifyCredential(issued.sdJwt.replace(original, forged), options());
    expect(report.checks[0]).toMatchObject({ id: 'format', status: 'failed', code: 'sd-jwt.disclosure-not-signed', message: expect.stringContaining('"creditsEarned"') });
    expect(report).toMatchObject({ verified: false, verdict: 'invalid' });
  });

  test('when the issuer-signed payload is changed, then the signature check fails', async () => {
    const { issuerJwt, sdJwt } = await issue();
    const [header, payload, signature] = issuerJwt.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims.validFrom = '2020-01-01T00:00:00Z';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const report = await verifyCredential(sdJwt.replace(issuerJwt, forged), options());
    expect(check(report, 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
    expect(report.verdict).toBe('invalid');
  });

  test('when the issuer revokes it, then the SD-JWT credential is revoked like any other', async () => {
    const { sdJwt } = await issue({}, 9);
    issuer.revocationList.set(9, true);
    await issuer.publishStatusList();
    const report = await verifyCredential(sdJwt, options());
    expect(check(report, 'status')).toMatchObject({ status: 'failed', code: 'status.revoked' });
    expect(report.verdict).toBe('revoked');
  });

  test('when _sd_alg is sha-384, then the disclosures are checked with SHA-384', async () => {
    const { sdJwt } = await issue({ sdAlg: 'sha-384' });
    const report = await verifyCredential(sdJwt, options());
    expect(report).toMatchObject({ verified: true, format: 'vc-sd-jwt' });
  });

  test('VC-JOSE-COSE §3.2: when the SD-JWT is typed vc+jwt, then the format check refuses it', async () => {
    const { sdJwt } = await issue({ typ: 'vc+jwt' });
    const report = await verifyCredential(sdJwt, options());
    expect(check(report, 'format')).toMatchObject({ status: 'failed', code: 'format.typ' });
  });

  test('when the signing key is not the issuer’s, then the issuer-key check refuses it', async () => {
    const stranger = await createTestIssuer('stranger.example');
    const { sdJwt } = await issue({ privateJwk: stranger.key.privateJwk });
    const report = await verifyCredential(sdJwt, options());
    expect(check(report, 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });
});

describe('RFC 9901 §7.3 key binding in the pipeline', () => {
  test('when the verifier expected an audience and nonce and the KB-JWT matches, then holder binding passes', async () => {
    const holder = await holderKey();
    const issued = await issue({ holderJwk: holder.publicJwk });
    const presented = await present(issued, ['name', 'credentialSubject.achievement'], { privateJwk: holder.privateJwk, aud: 'https://recruiter.example', nonce: 'n-42', iat: IAT });
    const report = await verifyCredential(presented, options({ keyBinding: { audience: 'https://recruiter.example', nonce: 'n-42' } }));
    expect(check(report, 'holder-binding')).toMatchObject({ status: 'passed', code: 'holder.bound' });
    expect(report.verified).toBe(true);
  });

  test('when no audience or nonce was expected, then a valid KB-JWT still says holder binding not checked', async () => {
    const holder = await holderKey();
    const issued = await issue({ holderJwk: holder.publicJwk });
    const presented = await present(issued, ['name'], { privateJwk: holder.privateJwk, aud: 'https://recruiter.example', nonce: 'n-42', iat: IAT });
    const report = await verifyCredential(presented, options());
    expect(check(report, 'holder-binding')).toMatchObject({ status: 'skipped', code: 'holder.not-checked', message: expect.stringContaining('replay') });
  });

  test('when the KB-JWT answers another nonce, then holder binding fails and the credential is not verified', async () => {
    const holder = await holderKey();
    const issued = await issue({ holderJwk: holder.publicJwk });
    const presented = await present(issued, ['name'], { privateJwk: holder.privateJwk, aud: 'https://recruiter.example', nonce: 'old', iat: IAT });
    const report = await verifyCredential(presented, options({ keyBinding: { audience: 'https://recruiter.example', nonce: 'fresh' } }));
    expect(check(report, 'holder-binding')).toMatchObject({ status: 'failed', code: 'holder.kb-nonce' });
    expect(report).toMatchObject({ verified: false, verdict: 'invalid' });
  });

  test('when another key signed the KB-JWT, then holder binding fails', async () => {
    const holder = await holderKey();
    const thief = await holderKey();
    const issued = await issue({ holderJwk: holder.publicJwk });
    const presented = await present(issued, ['name'], { privateJwk: thief.privateJwk, aud: 'https://recruiter.example', nonce: 'n', iat: IAT });
    const report = await verifyCredential(presented, options());
    expect(check(report, 'holder-binding')).toMatchObject({ status: 'failed', code: 'holder.kb-signature' });
  });

  test('when a KB-JWT was required but the presentation has none, then holder binding fails', async () => {
    const holder = await holderKey();
    const issued = await issue({ holderJwk: holder.publicJwk });
    const report = await verifyCredential(await present(issued, ['name']), options({ keyBinding: { audience: 'https://recruiter.example', nonce: 'n' } }));
    expect(check(report, 'holder-binding')).toMatchObject({ status: 'failed', code: 'holder.kb-missing' });
  });

  test('when the credential is a plain VC-JWT, then no holder-binding line appears in its report', async () => {
    const report = await verifyCredential(await issuer.issue(), options());
    expect(check(report, 'holder-binding')).toBeUndefined();
  });
});
