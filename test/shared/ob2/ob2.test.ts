import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { StaticDocuments } from '../../../shared/net/static-documents.ts';
import type { VerificationReport, VerifyOptions } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';

const example = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/vectors/ob20-examples/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const IN_VALIDITY = () => new Date('2017-03-01T00:00:00Z');
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id);

/** The spec examples published where their ids say. */
function exampleOrg(): StaticDocuments {
  return new StaticDocuments()
    .set('https://example.org/beths-robotics-badge.json', example('assertion.json'))
    .set('https://example.org/robotics-badge.json', example('badgeclass.json'))
    .set('https://example.org/organization.json', example('issuer.json'))
    .set('https://example.org/revocationList.json', example('revocation-list.json'));
}

const verify = (input: Parameters<typeof verifyCredential>[0], extra: Partial<VerifyOptions> = {}) => verifyCredential(input, { documents: exampleOrg(), now: IN_VALIDITY, ...extra });

describe('Open Badges 2.0 hosted verification (OB 2.0 spec examples)', () => {
  test('when the spec example assertion is hosted where its id says, then it is verified with its issuer named', async () => {
    const report = await verify(example('assertion.json'));
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['format', 'passed'], ['signature', 'passed'], ['validity-window', 'passed'], ['status', 'passed'], ['recipient', 'skipped'], ['issuer-trust', 'skipped'],
    ]);
    expect(report).toMatchObject({ verified: true, verdict: 'verified', format: 'ob2', issuer: { id: 'https://example.org/organization.json', name: 'An Example Badge Issuer' } });
  });

  test('when only the assertion URL is known (a baked OB 2.0 image), then the assertion, BadgeClass and Issuer are fetched', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/beths-robotics-badge.json"/></svg>';
    const report = await verify(new TextEncoder().encode(svg));
    expect(report).toMatchObject({ verdict: 'verified', format: 'ob2' });
  });

  test('when checked today, then the example is expired', async () => {
    const report = await verify(example('assertion.json'), { now: () => new Date('2026-06-01T00:00:00Z') });
    expect(check(report, 'validity-window')).toMatchObject({ status: 'failed', code: 'validity.expired' });
    expect(report.verdict).toBe('expired');
  });

  test('when the hosted copy says revoked, or the assertion answers 410 Gone, then the verdict is revoked', async () => {
    const revoked = exampleOrg().set('https://example.org/beths-robotics-badge.json', { ...example('assertion.json'), ...example('revoked-hosted-assertion.json') });
    expect((await verify(example('assertion.json'), { documents: revoked })).verdict).toBe('revoked');
    const gone = exampleOrg();
    const documents = { getJson: async (url: string) => (url === 'https://example.org/beths-robotics-badge.json' ? { ok: false as const, code: 'fetch.http-status' as const, message: `${url} answered HTTP 410.` } : gone.getJson(url)), getText: gone.getText.bind(gone) };
    expect((await verify(example('assertion.json'), { documents })).verdict).toBe('revoked');
  });

  test('verify.url domain rule: when the assertion is hosted on another site than the issuer allows, then verification fails', async () => {
    const elsewhere = { ...example('assertion.json'), id: 'https://attacker.example/beths-robotics-badge.json' };
    const documents = exampleOrg().set('https://attacker.example/beths-robotics-badge.json', elsewhere);
    const report = await verify(elsewhere, { documents });
    expect(check(report, 'signature')).toMatchObject({ status: 'failed', code: 'ob2.hosted-domain' });
    expect(report.verdict).toBe('invalid');
  });

  test('when the issuer declares allowedOrigins, then a badge hosted there verifies', async () => {
    const elsewhere = { ...example('assertion.json'), id: 'https://badges.example.net/beth.json' };
    const documents = exampleOrg()
      .set('https://badges.example.net/beth.json', elsewhere)
      .set('https://example.org/organization.json', { ...example('issuer.json'), verification: { allowedOrigins: ['badges.example.net'] } });
    expect((await verify(elsewhere, { documents })).verdict).toBe('verified');
  });

  test('when the embedded copy differs from the hosted one, then the hosted one is what is reported', async () => {
    const edited = { ...example('assertion.json'), expires: '2099-01-01T00:00:00Z' };
    const report = await verify(edited, { now: () => new Date('2026-06-01T00:00:00Z') });
    expect(report.verdict).toBe('expired');
  });

  test('when a recipient is given, then the hashed identity is checked against it', async () => {
    const salt = 'pepper';
    const identity = `sha256$${createHash('sha256').update(`maria@example.eu${salt}`).digest('hex')}`;
    const hashed = { ...example('assertion.json'), recipient: { type: 'email', hashed: true, salt, identity } };
    const documents = exampleOrg().set('https://example.org/beths-robotics-badge.json', hashed);
    expect(check(await verify(hashed, { documents, recipient: 'Maria@Example.eu' }), 'recipient')).toMatchObject({ status: 'passed', code: 'recipient.match' });
    const wrong = await verify(hashed, { documents, recipient: 'someone@example.eu' });
    expect(check(wrong, 'recipient')).toMatchObject({ status: 'failed', code: 'recipient.mismatch' });
    expect(wrong.verified).toBe(false);
    expect(check(await verify(example('assertion.json'), { recipient: 'steved@example.org' }), 'recipient')?.code).toBe('recipient.mismatch');
  });

  test('when an OB 1.1 assertion names its hosted URL in verify.url (Unix-time dates), then it is read the same way', async () => {
    const legacy = { '@context': 'https://w3id.org/openbadges/v1', type: 'Assertion', uid: 'f2c20', recipient: example('assertion.json').recipient, issuedOn: 1359217910, badge: 'https://example.org/robotics-badge.json', verify: { type: 'hosted', url: 'https://example.org/legacy/f2c20.json' } };
    const documents = exampleOrg().set('https://example.org/legacy/f2c20.json', legacy);
    const report = await verify(legacy, { documents, now: () => new Date('2016-01-01T00:00:00Z') });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'passed', code: 'ob2.hosted' });
    expect(report.verdict).toBe('verified');
    const moved = { ...legacy, verify: { type: 'hosted', url: 'https://elsewhere.example/f2c20.json' } };
    expect(check(await verify(moved, { documents: documents.set('https://elsewhere.example/f2c20.json', moved) }), 'signature')?.code).toBe('ob2.hosted-domain');
  });

  test('when offline and the documents are missing, then the report says not checked instead of failing', async () => {
    const offline = await verify(example('assertion.json'), { documents: new StaticDocuments(), offline: true });
    expect(offline.checks.find((c) => c.status === 'skipped' && c.code === 'ob2.not-checked-offline')).toBeDefined();
    expect(offline.verdict).toBe('unverifiable');
  });
});

describe('Open Badges 2.0 signed verification (JWS, RS256) and revocation lists', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const signedAssertion = { '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: 'urn:uuid:a953081a-4bbd-4927-9653-7219bca00e3b', recipient: example('assertion.json').recipient, issuedOn: '2016-12-31T23:59:59Z', badge: 'https://example.org/robotics-badge.json', verification: { type: 'SignedBadge', creator: 'https://example.org/publicKey.json' } };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jws = (payload: object) => {
    const input = `${b64({ alg: 'RS256' })}.${b64(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  };
  const documents = () => exampleOrg().set('https://example.org/publicKey.json', { '@context': 'https://w3id.org/openbadges/v2', type: 'CryptographicKey', id: 'https://example.org/publicKey.json', owner: 'https://example.org/organization.json', publicKeyPem: pem });

  test('when signed with the key the issuer lists, then it is verified', async () => {
    const report = await verify(jws(signedAssertion), { documents: documents() });
    expect(check(report, 'signature')).toMatchObject({ status: 'passed', code: 'signature.valid' });
    expect(report.verdict).toBe('verified');
  });

  test('when the payload is changed, then the signature fails', async () => {
    const [header, , signature] = jws(signedAssertion).split('.');
    const tampered = `${header}.${b64({ ...signedAssertion, issuedOn: '2017-01-01T00:00:00Z' })}.${signature}`;
    expect(check(await verify(tampered, { documents: documents() }), 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('when the key is owned by someone else, then it is refused', async () => {
    const docs = documents().set('https://example.org/publicKey.json', { id: 'https://example.org/publicKey.json', owner: 'https://attacker.example/me', publicKeyPem: pem });
    expect(check(await verify(jws(signedAssertion), { documents: docs }), 'signature')?.code).toBe('key.not-issuers');
  });

  test("when the assertion is on the issuer's revocation list (spec example), then the verdict is revoked", async () => {
    const listed = { ...signedAssertion, id: 'urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418' };
    const report = await verify(jws(listed), { documents: documents() });
    expect(check(report, 'status')).toMatchObject({ status: 'failed', code: 'status.revoked' });
    expect(check(report, 'status')?.message).toContain('Honor code violation');
    expect(report.verdict).toBe('revoked');
  });
});
