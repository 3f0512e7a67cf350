/**
 * Detectors on fixture pages, in real Chromium (the detectors read a live DOM; a fake DOM would
 * test the fake). Each detector must find exactly the candidates its own fixtures declare
 * (`<meta name="expected-candidates">`) and nothing on any other detector's fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DETECTORS } from '../../extension/src/content/detector-registry.ts';
import { launchPlainChromium, serveLoopback } from './chromium.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test/fixtures/pages');
const DETECTOR_DIR = join(ROOT, 'extension/src/content/detectors');

type Found = { id: string; found: { source: { kind: string; url?: string; text?: string; hostedOb2?: boolean }; label: string; anchor: string }[] }[];

/** prepare.mjs honours MICROCRED_SKIP_BROWSER=1 with a loud banner; the browser tests are then skipped, visibly. */
const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';

let browser: Browser;
let page: Page;
let harness: string;
let server: Awaited<ReturnType<typeof serveLoopback>>;

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  const bundle = await build({ entryPoints: [join(ROOT, 'test/extension/detector-harness.ts')], bundle: true, format: 'iife', write: false, target: 'chrome116' });
  harness = bundle.outputFiles[0]!.text;
  server = await serveLoopback((path) => (path.endsWith('.html') ? { type: 'text/html; charset=utf-8', body: readFileSync(join(FIXTURES, path)) } : undefined));
  browser = await launchPlainChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function detectOn(fixture: string): Promise<{ results: Found; expected: number }> {
  await page.goto(`${server.url}/${fixture}`);
  await page.addScriptTag({ content: harness });
  const expected = Number(await page.getAttribute('meta[name="expected-candidates"]', 'content'));
  return { results: await page.evaluate(() => (globalThis as unknown as { microcredDetect(): Found }).microcredDetect()), expected };
}

const fixturesOf = (id: string) => readdirSync(join(FIXTURES, id)).filter((f) => f.endsWith('.html')).map((f) => `${id}/${f}`);

describe('conventions', () => {
  test('every file in content/detectors/ is a registered detector whose id is its file name, with fixtures', async () => {
    const files = readdirSync(DETECTOR_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(DETECTORS.map((d) => d.id).sort()).toEqual(files);
    for (const file of files) {
      const module = (await import(join(DETECTOR_DIR, `${file}.ts`))) as { id: string; detect: unknown };
      expect(module.id).toBe(file);
      expect(typeof module.detect).toBe('function');
      expect(fixturesOf(file).length).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(SKIP_BROWSER).each(DETECTORS.map((d) => d.id))('detector %s', (id) => {
  test.each(fixturesOf(id))('when it reads its own fixture %s, then it finds exactly the declared candidates and no other detector matches', async (fixture) => {
    const { results, expected } = await detectOn(fixture);
    expect(expected).toBeGreaterThan(0);
    const own = results.find((r) => r.id === id)!;
    expect(own.found).toHaveLength(expected);
    for (const other of results.filter((r) => r.id !== id)) expect({ id: other.id, found: other.found }).toEqual({ id: other.id, found: [] });
  });
});

describe.skipIf(SKIP_BROWSER)('what the detectors read', () => {
  test('when LinkedIn wraps the link in /redir/redirect, then the real credential URL is used, labelled with the certification name', async () => {
    const { results } = await detectOn('linkedin-certifications/profile.html');
    const found = results.find((r) => r.id === 'linkedin-certifications')!.found;
    expect(found.map((f) => [f.source.url, f.label])).toEqual([
      ['https://credentials.academy.example/c/8f4e2a61', 'Data Literacy for Public Administration'],
      ['https://verify.eda.example/credential/odf-2025-0042', 'Open Data Foundations'],
    ]);
  });

  test('when the markup uses hashed classes and German, then entries are still found by heading and link meaning', async () => {
    const { results } = await detectOn('linkedin-certifications/details-hashed.html');
    const found = results.find((r) => r.id === 'linkedin-certifications')!.found;
    expect(found.map((f) => f.label)).toEqual(['Projektmanagement Grundlagen', 'Cloud Foundations']);
  });

  test('credential page links are normalised and hostile schemes ignored', async () => {
    const { results } = await detectOn('credential-page-link/portfolio.html');
    expect(results.find((r) => r.id === 'credential-page-link')!.found.map((f) => f.source.url)).toEqual([
      'https://creds.uni-example.eu/credentials/q3H9v0bT6yWm1Kz8Rr2LxA',
      'https://creds.uni-example.eu/credentials/Zx8_-aP0QmLw4nV7tY2eHsB9',
      'https://tool.other-school.example/credentials/b64urlId_0123456789abcdefXYZ',
    ]);
  });

  test('on the public (signed-out) profile, the entries are named by their titles and LinkedIn\'s tracking tag is not sent on', async () => {
    const { results } = await detectOn('linkedin-certifications/public-guest-view.html');
    expect(results.find((r) => r.id === 'linkedin-certifications')!.found.map((f) => [f.source.url, f.label])).toEqual([
      ['https://certificates.hafenakademie.example/c/k7qp2hw6a', 'Certificate of Completion: Web Accessibility'],
      ['https://verify.nordwind-cloud.example/badges/0b9c2f4e-1d7a-4c55-9e31-5a8f0c6d2e77', 'Nordwind Cloud Practitioner'],
    ]);
  });

  test('platform badge pages map to their machine-readable assertions (Credly and Badgr: OB 2.0 hosted assertions)', async () => {
    const { results } = await detectOn('badge-platform-link/badge-links.html');
    expect(results.find((r) => r.id === 'badge-platform-link')!.found.map((f) => [f.source.url, f.source.hostedOb2 ?? false])).toEqual([
      ['https://api.credly.com/v1/obi/v2/badge_assertions/54a07c5c-89f9-4c33-9731-e1b0d34f88b9', true],
      ['https://api.badgr.io/public/assertions/nHqA1R2xS0e8kq3v?v=2_0', true],
      ['https://www.credential.net/7f3c1a9b-2d4e', false],
      ['https://europa.eu/europass/digital-credentials/credential-verification?credentialId=urn:credential:1234', false],
    ]);
  });

  test('the alternate link prefers the VC-JWT and places the badge by the page heading', async () => {
    const { results } = await detectOn('alternate-link/credential-page.html');
    expect(results.find((r) => r.id === 'alternate-link')!.found).toEqual([
      { source: { kind: 'url', url: `${server.url}/credentials/q3H9v0bT6yWm1Kz8Rr2LxA/credential.jwt` }, label: 'Data Literacy for Public Administration — Maria Schneider', anchor: 'h1' },
    ]);
  });

  test('VC-JWTs in text are found by their header or payload; ordinary JWTs, truncated tokens and form fields are not', async () => {
    const { results } = await detectOn('vc-jwt-text/text-and-code.html');
    const found = results.find((r) => r.id === 'vc-jwt-text')!.found;
    expect(found.map((f) => f.anchor)).toEqual(['code', 'code']);
    expect(found.every((f) => f.source.kind === 'inline' && f.source.text!.split('.').length === 3)).toBe(true);
  });
});

describe.skipIf(SKIP_BROWSER)('whose page it is (the name the learner match compares against)', () => {
  test.each([
    ['linkedin-certifications/profile.html', 'Maria Schneider'],
    ['linkedin-certifications/details-hashed.html', 'Jean-Luc Dupont'],
    ['json-ld-credential/json-ld-graph.html', 'Lea Wagner'],
    ['credential-page-link/portfolio.html', null],
  ])('%s → %s', async (fixture, name) => {
    await page.goto(`${server.url}/${fixture}`);
    await page.addScriptTag({ content: harness });
    expect(await page.evaluate(() => (globalThis as unknown as { microcredProfileName(): string | null }).microcredProfileName())).toBe(name);
  });
});

describe.skipIf(SKIP_BROWSER)('scanner', () => {
  test('when content is added after load, then only the new credentials are reported, and a rescan reports nothing twice', async () => {
    await page.goto(`${server.url}/credential-page-link/portfolio.html`);
    await page.addScriptTag({ content: harness });
    const scan = (selector?: string) => page.evaluate((s) => (globalThis as unknown as { microcredScan(s?: string): { key: string }[] }).microcredScan(s), selector);
    expect(await scan()).toHaveLength(3);
    expect(await scan()).toHaveLength(0);
    await page.evaluate(() => {
      const li = document.createElement('li');
      li.id = 'later';
      const a = document.createElement('a');
      a.href = 'https://creds.uni-example.eu/credentials/LaterLoadedId_0123456789';
      a.textContent = 'Loaded later';
      li.append(a);
      document.querySelector('ul')!.append(li);
    });
    expect((await scan('#later')).map((c) => c.key)).toEqual(['url:https://creds.uni-example.eu/credentials/LaterLoadedId_0123456789']);
    expect(await scan('#later')).toHaveLength(0);
    expect(await scan()).toHaveLength(0);
  });

  test('when a LinkedIn entry links a credential page, then the link is read once, as the LinkedIn entry, not again as a bare link', async () => {
    await page.goto(`${server.url}/linkedin-certifications/profile.html`);
    await page.addScriptTag({ content: harness });
    await page.evaluate(() => {
      // A trailing slash and a query: as a bare link it would normalise to a different key and be badged a second time.
      const li = document.createElement('li');
      li.innerHTML = '<div><span aria-hidden="true">Later: Data Literacy</span></div><a href="https://tool.example/credentials/LaterLoadedId_0123456789/?trk=profile">Show credential</a>';
      const section = [...document.querySelectorAll('section')].find((s) => /certifications/i.test(s.textContent ?? ''))!;
      section.querySelector('ul')!.append(li);
    });
    const found = await page.evaluate(() => (globalThis as unknown as { microcredScan(): { detector: string; key: string }[] }).microcredScan());
    expect(found.map((c) => c.detector)).toEqual(['linkedin-certifications', 'linkedin-certifications', 'linkedin-certifications']);
    // (LinkedIn's trk tag is dropped; the trailing slash stays: the entry's URL as the issuer wrote it.)
    expect(found.map((c) => c.key)).toContain('url:https://tool.example/credentials/LaterLoadedId_0123456789/');
  });

  test('when a single-page app re-renders the same credential (away and back), then the new copy is reported again', async () => {
    await page.goto(`${server.url}/credential-page-link/portfolio.html`);
    await page.addScriptTag({ content: harness });
    const scan = (selector?: string) => page.evaluate((s) => (globalThis as unknown as { microcredScan(s?: string): { key: string }[] }).microcredScan(s), selector);
    expect(await scan()).toHaveLength(3);
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      const copy = main.cloneNode(true) as HTMLElement;
      main.remove();
      copy.id = 'rerendered';
      document.body.append(copy);
    });
    expect(await scan('#rerendered')).toHaveLength(3);
    expect(await scan('#rerendered')).toHaveLength(0);
  });
});
