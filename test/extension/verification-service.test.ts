/**
 * The background worker's verification service, in Node with an in-memory "web": the fetch it is
 * given answers from a map of URL → document, so nothing leaves the process and the clock is ours.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { bakePng } from '../../shared/baking/bake-png.ts';
import { bakeSvg } from '../../shared/baking/bake-svg.ts';
import { createVerificationService, type VerificationServiceOptions } from '../../extension/src/background/verification-service.ts';
import { createTestIssuer, tamper, type TestIssuer } from '../shared/verify/test-issuer.ts';

/** A 1×1 PNG. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let issuer: TestIssuer;
let stranger: TestIssuer;
let validJwt: string;
let revokedJwt: string;

function fakeWeb(extra: Record<string, { type: string; body: string | Uint8Array }> = {}) {
  const requests: string[] = [];
  const fetch: VerificationServiceOptions['fetch'] = async (url) => {
    requests.push(url);
    const page = extra[url];
    if (page) return new Response(page.body as BodyInit, { headers: { 'content-type': page.type } });
    const doc = issuer.documents.documents.get(url) ?? stranger.documents.documents.get(url);
    if (doc === undefined) return new Response('not found', { status: 404 });
    return new Response(doc, { headers: { 'content-type': doc.startsWith('{') ? 'application/json' : 'application/vc+jwt' } });
  };
  return { fetch, requests };
}

beforeAll(async () => {
  issuer = await createTestIssuer('academy.example');
  stranger = await createTestIssuer('stranger.example');
  validJwt = await issuer.issue({ index: 1 });
  revokedJwt = await issuer.issue({ index: 2 });
  issuer.revocationList.set(2, true);
  await issuer.publishStatusList();
});

const clock = (start = Date.parse('2026-02-01T12:00:00Z')) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('verifying what pages show', () => {
  test('when a credential page answers content negotiation with the VC-JWT, then it is verified with its EU elements', async () => {
    const web = fakeWeb({ 'https://academy.example/credentials/AAAAAAAAAAAAAAAAAAAAAA': { type: 'application/vc+jwt', body: validJwt } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    const view = await service.verifySource({ kind: 'url', url: 'https://academy.example/credentials/AAAAAAAAAAAAAAAAAAAAAA' });
    expect(view.verdict).toBe('verified');
    expect(view.title).toBe('Data Literacy for Public Administration');
    expect(view.learnerName).toBe('Maria Schneider');
    expect(view.ects).toBeGreaterThan(0);
    expect(view.checks.map((c) => c.status)).not.toContain('failed');
  });

  test('when the URL answers with an HTML page, then its rel="alternate" VC-JWT link is followed once', async () => {
    const html = '<!doctype html><html><head><link rel="alternate" type="application/vc+ld+json" href="/c/1.json"><link href="/c/1.jwt" type="application/vc+jwt" rel="alternate"></head><body>x</body></html>';
    const web = fakeWeb({ 'https://academy.example/page': { type: 'text/html', body: html }, 'https://academy.example/c/1.jwt': { type: 'application/vc+jwt', body: validJwt } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    expect((await service.verifySource({ kind: 'url', url: 'https://academy.example/page' })).verdict).toBe('verified');
    expect(web.requests.slice(0, 2)).toEqual(['https://academy.example/page', 'https://academy.example/c/1.jwt']);
  });

  test('revoked, tampered and untrusted credentials get their own verdicts', async () => {
    const list = JSON.stringify({ type: 'MicrocredTrustList', name: 'Test list', issuers: [{ id: issuer.did, name: 'Academy' }] });
    const web = fakeWeb({ 'https://lists.example/trusted.json': { type: 'application/json', body: list } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now, trustLists: async () => ['https://lists.example/trusted.json'] });
    expect((await service.verifySource({ kind: 'inline', text: revokedJwt })).verdict).toBe('revoked');
    const forged = tamper(validJwt, (p) => ((p.credentialSubject as { achievement: { name: string } }).achievement.name = 'Brain Surgery'));
    expect((await service.verifySource({ kind: 'inline', text: forged })).verdict).toBe('invalid');
    expect((await service.verifySource({ kind: 'inline', text: await stranger.issue() })).verdict).toBe('untrusted');
    const trusted = await service.verifySource({ kind: 'inline', text: validJwt });
    expect([trusted.verdict, trusted.trusted]).toEqual(['verified', true]);
    // The list is fetched once through the cached document source, not once per credential.
    expect(web.requests.filter((r) => r === 'https://lists.example/trusted.json')).toHaveLength(1);
  });

  test('when a forged copy reuses a genuine credential id, then it never inherits the cached verdict', async () => {
    const service = createVerificationService({ fetch: fakeWeb().fetch, now: clock().now });
    expect((await service.verifySource({ kind: 'inline', text: validJwt })).verdict).toBe('verified');
    const forged = tamper(validJwt, (p) => (p.name = 'Changed'));
    expect((await service.verifySource({ kind: 'inline', text: forged })).verdict).toBe('invalid');
  });

  test('when an issuer cannot be reached, then the verdict is "unverifiable", not "invalid"', async () => {
    const service = createVerificationService({ fetch: async () => { throw new TypeError('Failed to fetch'); }, now: clock().now });
    expect((await service.verifySource({ kind: 'inline', text: validJwt })).verdict).toBe('unverifiable');
    expect((await service.verifySource({ kind: 'url', url: 'https://academy.example/credentials/BBBBBBBBBBBBBBBBBBBBBB' })).verdict).toBe('unverifiable');
  });

  test('when a badge platform serves an OB 2.0 hosted assertion, then it is verified with shared/ob2; one its issuer marks revoked is revoked', async () => {
    const api = 'https://api.credly.com/v1/obi/v2';
    const assertion = (uuid: string) => ({
      '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: `${api}/badge_assertions/${uuid}`,
      recipient: { type: 'email', hashed: false, identity: 'maria@example.org' }, issuedOn: '2026-01-10T00:00:00Z',
      badge: `${api}/badge_classes/cloud`, verification: { type: 'hosted' },
    });
    const json = (value: unknown) => ({ type: 'application/json', body: JSON.stringify(value) });
    const web = fakeWeb({
      [`${api}/badge_assertions/11111111-1111-4111-8111-111111111111`]: json(assertion('11111111-1111-4111-8111-111111111111')),
      [`${api}/badge_classes/cloud`]: json({ '@context': 'https://w3id.org/openbadges/v2', type: 'BadgeClass', id: `${api}/badge_classes/cloud`, name: 'Cloud Practitioner', issuer: `${api}/issuers/aws` }),
      [`${api}/issuers/aws`]: json({ '@context': 'https://w3id.org/openbadges/v2', type: 'Issuer', id: `${api}/issuers/aws`, name: 'Amazon Web Services Training and Certification' }),
    });
    const withdrawn = `${api}/badge_assertions/22222222-2222-4222-8222-222222222222`;
    const revoked = { ...assertion('22222222-2222-4222-8222-222222222222'), revoked: true, revocationReason: 'Issued in error' };
    const fetch: VerificationServiceOptions['fetch'] = async (url, init) => (url === withdrawn ? new Response(JSON.stringify(revoked), { headers: { 'content-type': 'application/json' } }) : web.fetch(url, init));
    const service = createVerificationService({ fetch, now: clock().now });
    const view = await service.verifySource({ kind: 'url', url: `${api}/badge_assertions/11111111-1111-4111-8111-111111111111` });
    expect([view.verdict, view.title, view.issuerName]).toEqual(['verified', 'Cloud Practitioner', 'Amazon Web Services Training and Certification']);
    expect((await service.verifySource({ kind: 'url', url: withdrawn })).verdict).toBe('revoked');
  });

  test('OB 2.0 hosted verification: when a badge platform\'s hosted assertion answers 410 Gone, then it is revoked; any other URL that is gone is only not checkable', async () => {
    const gone = 'https://api.badgr.io/public/assertions/GoneAssertion01?v=2_0';
    const fetch: VerificationServiceOptions['fetch'] = async () => new Response(JSON.stringify({ revoked: true }), { status: 410, headers: { 'content-type': 'application/json' } });
    const service = createVerificationService({ fetch, now: clock().now });
    const view = await service.verifySource({ kind: 'url', url: gone, hostedOb2: true });
    expect(view.verdict).toBe('revoked');
    expect(view.summary).toContain('410 Gone');
    expect(view.failedCode).toBe('ob2.assertion-gone');
    // The same answer from a page not known to be a hosted assertion proves nothing about a credential.
    expect((await service.verifySource({ kind: 'url', url: 'https://portfolio.example/credentials/AAAAAAAAAAAAAAAAAAAAAA' })).verdict).toBe('unverifiable');
  });

  test('when a fetched or pasted document is in no credential format, then the badge says it cannot be checked (not "invalid")', async () => {
    const web = fakeWeb({ 'https://platform.example/badge/1': { type: 'application/json', body: '{"badge": "not a standard format"}' } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    const view = await service.verifySource({ kind: 'url', url: 'https://platform.example/badge/1' });
    expect(view.verdict).toBe('unverifiable');
    expect(view.summary).toMatch(/not a credential format this extension can check/);
    expect((await service.verifyInput('{"hello": "world"}')).verdict).toBe('unverifiable');
  });

  test('OB 3.0 §5.3.2: a baked SVG badge image is read and verified', async () => {
    const svg = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', validJwt);
    const web = fakeWeb({ 'https://academy.example/badge.svg': { type: 'image/svg+xml', body: svg } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    expect((await service.verifySource({ kind: 'image', url: 'https://academy.example/badge.svg' })).verdict).toBe('verified');
    expect((await service.verifyInput(new TextEncoder().encode(svg))).verdict).toBe('verified');
  });

  test('OB 3.0 §5.3.1: a baked PNG badge image is read and verified; an image without a credential is not checkable', async () => {
    const png = Uint8Array.from(Buffer.from(PNG_1X1, 'base64'));
    const web = fakeWeb({ 'https://academy.example/badge.png': { type: 'image/png', body: bakePng(png, validJwt) }, 'https://academy.example/plain.png': { type: 'image/png', body: png } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    expect((await service.verifySource({ kind: 'image', url: 'https://academy.example/badge.png' })).verdict).toBe('verified');
    const plain = await service.verifySource({ kind: 'image', url: 'https://academy.example/plain.png' });
    expect(plain.verdict).toBe('unverifiable');
    expect(plain.checks[0]!.message).toContain('baked.no-credential');
    const dropped = await service.verifyInput(png);
    expect([dropped.verdict, dropped.checks[0]!.message]).toEqual(['unverifiable', expect.stringContaining('baked.no-credential')]);
  });
});

describe('cache, de-duplication and limits', () => {
  const url = 'https://academy.example/credentials/CCCCCCCCCCCCCCCCCCCCCC';

  test('when many badges ask for the same URL at once, then it is fetched and verified once', async () => {
    const web = fakeWeb({ [url]: { type: 'application/vc+jwt', body: validJwt } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    const views = await Promise.all(Array.from({ length: 20 }, () => service.verifySource({ kind: 'url', url })));
    expect(new Set(views.map((v) => v.verdict))).toEqual(new Set(['verified']));
    expect(web.requests.filter((r) => r === url)).toHaveLength(1);
    await service.verifySource({ kind: 'url', url });
    expect(web.requests.filter((r) => r === url)).toHaveLength(1);
  });

  test('when the cached verdict is older than the TTL, then the status is re-checked and a revocation shows', async () => {
    const local = await createTestIssuer('academy.example');
    const jwt = await local.issue({ index: 7 });
    const time = clock();
    const requests: string[] = [];
    const fetch: VerificationServiceOptions['fetch'] = async (u) => {
      requests.push(u);
      const body = u === url ? jwt : local.documents.documents.get(u);
      return body === undefined ? new Response('', { status: 404 }) : new Response(body, { headers: { 'content-type': 'application/vc+jwt' } });
    };
    const service = createVerificationService({ fetch, now: time.now, ttlMs: 60_000 });
    expect((await service.verifySource({ kind: 'url', url })).verdict).toBe('verified');
    local.revocationList.set(7, true);
    await local.publishStatusList();
    time.advance(30_000);
    expect((await service.verifySource({ kind: 'url', url })).verdict).toBe('verified');
    time.advance(31_000);
    expect((await service.verifySource({ kind: 'url', url })).verdict).toBe('revoked');
    expect(requests.filter((r) => r === url)).toHaveLength(1);
    expect(requests.filter((r) => r === local.statusListUrl)).toHaveLength(2);
  });

  test('when the service is cleared, then the next check fetches again', async () => {
    const web = fakeWeb({ [url]: { type: 'application/vc+jwt', body: validJwt } });
    const service = createVerificationService({ fetch: web.fetch, now: clock().now });
    await service.verifySource({ kind: 'url', url });
    await service.clear();
    await service.verifySource({ kind: 'url', url });
    expect(web.requests.filter((r) => r === url)).toHaveLength(2);
  });

  test('at most `concurrency` verifications run at once', async () => {
    let running = 0;
    let peak = 0;
    const fetch: VerificationServiceOptions['fetch'] = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return new Response(validJwt, { headers: { 'content-type': 'application/vc+jwt' } });
    };
    const service = createVerificationService({ fetch, now: clock().now, concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => service.verifySource({ kind: 'url', url: `https://academy.example/credentials/D${String(i).padStart(21, '0')}` })));
    expect(peak).toBeLessThanOrEqual(3);
  });
});
