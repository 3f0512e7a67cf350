import { beforeAll, describe, expect, test } from 'vitest';
import { bakePng } from '../../../shared/baking/bake-png.ts';
import { bakeSvg } from '../../../shared/baking/bake-svg.ts';
import { parseTrustList } from '../../../shared/trust/trust-list.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { readFileSync } from 'node:fs';
import { createTestIssuer, type TestIssuer } from '../verify/test-issuer.ts';

const NOW = () => new Date('2026-06-01T12:00:00Z');
const trust = (report: VerificationReport) => report.checks.find((c) => c.id === 'issuer-trust');
let issuer: TestIssuer;
let jwt: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  jwt = await issuer.issue();
});

describe('trusted-issuer lists', () => {
  test('when our list names the issuer, then the check passes with the list and the name', async () => {
    const list = parseTrustList({ type: 'MicrocredTrustList', name: 'EU pilot', issuers: [{ id: issuer.did, name: 'Academy' }] }, 'eu.json');
    if (!list.ok) throw new Error(list.message);
    const report = await verifyCredential(jwt, { documents: issuer.documents, now: NOW, trustLists: [list.list] });
    expect(trust(report)).toMatchObject({ status: 'passed', code: 'trust.listed' });
    expect(trust(report)?.message).toContain('EU pilot');
    expect(report.verdict).toBe('verified');
  });

  test('when a DCC issuer registry (fetched by URL) names the issuer, then the check passes', async () => {
    const url = 'https://registry.example/registry.json';
    issuer.documents.set(url, { meta: { created: '2020-12-02T02:32:16+0000' }, registry: { [issuer.did]: { name: 'Academy', location: 'Vienna', url: 'https://issuer.example' } } });
    const report = await verifyCredential(jwt, { documents: issuer.documents, now: NOW, trustLists: [url] });
    expect(trust(report)).toMatchObject({ status: 'passed', code: 'trust.listed' });
  });

  test('when the lists do not name the issuer, then "not in any list" (untrusted), distinct from "lists not checked"', async () => {
    const list = parseTrustList({ issuers: [{ id: 'did:web:other.example' }] }, 'other.json');
    if (!list.ok) throw new Error(list.message);
    const notListed = await verifyCredential(jwt, { documents: issuer.documents, now: NOW, trustLists: [list.list] });
    expect(trust(notListed)).toMatchObject({ status: 'warning', code: 'trust.not-listed' });
    expect(notListed.verdict).toBe('untrusted');

    const none = await verifyCredential(jwt, { documents: issuer.documents, now: NOW });
    expect(trust(none)).toMatchObject({ status: 'skipped', code: 'trust.not-checked' });

    const unreachable = await verifyCredential(jwt, { documents: issuer.documents, now: NOW, trustLists: ['https://registry.example/missing.json'] });
    expect(trust(unreachable)).toMatchObject({ status: 'skipped', code: 'trust.lists-unavailable' });
    expect(unreachable.verdict).toBe('verified');
  });

  test('when a list is neither format, then parsing names the problem', () => {
    expect(parseTrustList({ something: [] }, 'x.json')).toMatchObject({ ok: false, code: 'trust.bad-list' });
    expect(parseTrustList({ issuers: [{ name: 'no id' }] }, 'x.json')).toMatchObject({ ok: false, code: 'trust.bad-list' });
  });
});

describe('baked images are verified as readily as the credential itself', () => {
  const png = new Uint8Array(readFileSync(new URL('../../fixtures/vectors/openbadges-bakery/unbaked.png', import.meta.url)));
  const svg = readFileSync(new URL('../../fixtures/vectors/openbadges-bakery/unbaked.svg', import.meta.url), 'utf8');

  test('when a VC-JWT is baked into a PNG or an SVG, then the image verifies', async () => {
    for (const image of [bakePng(png, jwt), new TextEncoder().encode(bakeSvg(svg, jwt))]) {
      const report = await verifyCredential(image, { documents: issuer.documents, now: NOW });
      expect(report).toMatchObject({ verdict: 'verified', format: 'vc-jwt' });
    }
  });

  test('when the baked credential was altered (CRC recomputed by a forger), then the signature fails', async () => {
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    payload.name = 'Forged';
    const forged = bakePng(png, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
    const report = await verifyCredential(forged, { documents: issuer.documents, now: NOW });
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ status: 'failed', code: 'signature.invalid' });
  });

  test('when an image is hostile, then the report names the baking code', async () => {
    const report = await verifyCredential(new TextEncoder().encode('<!DOCTYPE svg [<!ENTITY a SYSTEM "file:///etc/passwd">]><svg/>'), { documents: issuer.documents, now: NOW });
    expect(report).toMatchObject({ verdict: 'invalid' });
    expect(report.checks[0]?.code).toBe('baked.svg-entity');
  });
});
