import { expect, test } from 'vitest';
import { defaultBadgeSvg } from '../../../lti-tool/src/issuance/default-badge.ts';
import { credentialIdFrom, newCredentialId } from '../../../lti-tool/src/issuance/ids.ts';
import { linkedInAddToProfileUrl } from '../../../lti-tool/src/issuance/linkedin.ts';
import { passes } from '../../../lti-tool/src/issuance/rules.ts';

test('credential ids carry 136 random bits as 23 base64url characters, never start with a dash, and are found in ids and public URLs', () => {
  const ids = new Set(Array.from({ length: 1000 }, newCredentialId));
  expect(ids.size).toBe(1000);
  const id = [...ids][0]!;
  expect(Buffer.from(id, 'base64url')).toHaveLength(17);
  expect([...ids].every((i) => /^[A-Za-z0-9]/.test(i))).toBe(true);
  expect(credentialIdFrom(id)).toBe(id);
  expect(credentialIdFrom(`https://c.example/credentials/${id}`)).toBe(id);
  expect(credentialIdFrom(`https://c.example/credentials/${id}/certificate`)).toBe(id);
  expect(credentialIdFrom('https://c.example/credentials/short')).toBeUndefined();
});

test("LinkedIn add-to-profile: the documented CERTIFICATION_NAME link with name, organisation, issue date, URL and id", () => {
  const url = new URL(linkedInAddToProfileUrl({ name: 'Data & AI', organizationName: 'Academy', issuedAt: new Date('2026-03-02T10:00:00Z'), certUrl: 'https://c.example/credentials/x', certId: 'x' }));
  expect(`${url.origin}${url.pathname}`).toBe('https://www.linkedin.com/profile/add');
  expect(Object.fromEntries(url.searchParams)).toEqual({ startTask: 'CERTIFICATION_NAME', name: 'Data & AI', organizationName: 'Academy', issueYear: '2026', issueMonth: '3', certUrl: 'https://c.example/credentials/x', certId: 'x' });
  const withId = new URL(linkedInAddToProfileUrl({ name: 'n', organizationName: 'Academy', organizationId: '1337', issuedAt: new Date(), certUrl: 'https://c.example', certId: 'x' }));
  expect(withId.searchParams.get('organizationId')).toBe('1337');
  expect(withId.searchParams.has('organizationName')).toBe(false);
});

test('the generated badge escapes the title and shows EQF level and ECTS', () => {
  const svg = defaultBadgeSvg({ title: `A "quoted" <title> & a very long name that goes on and on and on and on and on`, eqf: 5, ects: 3 });
  expect(svg).not.toMatch(/<title>A "quoted" <title>/);
  expect(svg).toContain('&lt;title&gt; &amp;');
  expect(svg).toContain('EQF 5 · 3 ECTS');
  expect(svg.match(/font-size="22"/g)?.length).toBeLessThanOrEqual(3);
});

test('LTI AGS 2.0 §3.3: a score passes by its fraction of its own maximum; a missing score never passes a minimum-score rule', () => {
  const rule = { kind: 'min-score', minScore: 60, scoreMaximum: 100 } as const;
  expect(passes(rule, { resultScore: 60, resultMaximum: 100 })).toBe(true);
  expect(passes(rule, { resultScore: 59.99, resultMaximum: 100 })).toBe(false);
  expect(passes(rule, { resultScore: 3, resultMaximum: 5 })).toBe(true);
  expect(passes(rule, { resultScore: 60 })).toBe(true);
  expect(passes(rule, { resultScore: null, resultMaximum: 100 })).toBe(false);
  expect(passes(rule, undefined)).toBe(false);
  expect(passes({ kind: 'completion' }, undefined)).toBe(true);
});
