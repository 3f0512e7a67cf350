/**
 * The JSON-LD / Data Integrity stack is loaded lazily in the extension:
 * 1. In the build, the background worker's whole static module graph holds none of it (jsonld,
 *    rdf-canonize, the pinned contexts, the digitalbazaar suites), while the proof worker's bundle
 *    does; Chrome's manifest asks for `offscreen`, Firefox's does not.
 * 2. In real Chromium, Data Integrity credentials embedded in a page (eddsa-rdfc-2022, built here
 *    with the digitalbazaar libraries) still get their verdicts beside them: the genuine one
 *    "verified", a copy changed after signing "invalid"; the check ran in the offscreen document.
 * 3. The `offscreen` permission this needs adds nothing to Chrome's install warnings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enableSite, launchWithExtension, serveLoopback } from '../extension/chromium.ts';
import { ensureExtensionBuilt } from './build-extension.ts';
import { dataIntegrityCredential } from './data-integrity-credential.ts';

/** prepare.mjs honours MICROCRED_SKIP_BROWSER=1 with a loud banner; these tests are then skipped, visibly. */
const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';

/** Strings only the JSON-LD stack holds: jsonld's error names, rdf-canonize's algorithm, the contexts' JSON, the Ed25519Signature2020 suite. */
const STACK_MARKERS = ['jsonld.LoadDocumentError', 'URDNA2015', '"@protected"', 'https://w3id.org/security/suites/ed25519-2020/v1'];

/** The text of a module and of every module it imports statically, followed through the relative imports. */
function staticGraph(dir: string, entry: string): { files: string[]; text: string } {
  const seen = new Set<string>();
  const texts: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dir, file), 'utf8');
    texts.push(text);
    const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const [, spec] of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g)) visit(new URL(spec!, `file:///${base}`).pathname.slice(1));
  };
  visit(entry);
  return { files: [...seen], text: texts.join('\n') };
}

describe('the extension build keeps the JSON-LD stack out of the background worker', () => {
  let dist: string;
  beforeAll(() => {
    dist = ensureExtensionBuilt();
  }, 120_000);

  test('the service worker and everything it imports hold none of the stack; the proof worker holds it', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { background: { service_worker: string }; permissions: string[] };
    const worker = staticGraph(dist, manifest.background.service_worker);
    expect(worker.files.length).toBeGreaterThan(2);
    for (const marker of STACK_MARKERS) expect(worker.text, marker).not.toContain(marker);

    const proofWorker = readdirSync(join(dist, 'assets')).filter((f) => /^proof-worker-.*\.js$/.test(f));
    expect(proofWorker).toHaveLength(1);
    const proof = staticGraph(dist, `assets/${proofWorker[0]}`);
    for (const marker of STACK_MARKERS) expect(proof.text, marker).toContain(marker);
  });

  test('Chrome asks for the offscreen permission (no install warning); Firefox, which has no offscreen documents, does not', () => {
    const chrome = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { permissions: string[] };
    const firefox = JSON.parse(readFileSync(join(dist, '../firefox/manifest.json'), 'utf8')) as { permissions: string[] };
    expect(chrome.permissions).toContain('offscreen');
    expect(firefox.permissions).not.toContain('offscreen');
    expect(firefox.permissions).toEqual(chrome.permissions.filter((p) => p !== 'offscreen'));
  });
});

let pages: Awaited<ReturnType<typeof serveLoopback>>;
let context: BrowserContext;
let extensionId: string;
let closeBrowser: (() => Promise<void>) | undefined;

const signedCredential = () => dataIntegrityCredential('urn:uuid:0b6a3a34-2f54-4f7e-9d1b-0000000000d1');

/** A JSON-LD credential as a page embeds it; `<` escaped so no text inside can end the script element. */
const embedded = (id: string, credential: object) =>
  `<section id="${id}"><h2>${id}</h2><script type="application/vc+ld+json">${JSON.stringify(credential).replace(/</g, '\\u003c')}</script></section>`;

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  const dist = ensureExtensionBuilt();
  const genuine = await signedCredential();
  const changed = structuredClone(genuine) as { credentialSubject: { achievement: { name: string } } };
  changed.credentialSubject.achievement.name = 'Brain Surgery (Advanced)';
  const html = `<!doctype html><html><head><title>Portfolio</title></head><body>${embedded('genuine', genuine)}${embedded('changed', changed)}</body></html>`;
  pages = await serveLoopback((path) => (path === '/portfolio/' ? { type: 'text/html; charset=utf-8', body: html } : undefined));
  ({ context, extensionId, close: closeBrowser } = await launchWithExtension(dist));
  await enableSite(context, extensionId, pages.url);
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await pages?.close();
});

async function verdicts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('section')].map((section) => {
        const host = section.querySelector('[data-microcred-verdict]');
        return [section.id, host?.shadowRoot ? (host.getAttribute('data-microcred-verdict') ?? '') : 'not drawn yet'];
      }),
    ),
  );
}

describe.skipIf(SKIP_BROWSER)('Data Integrity credentials on a page, in Chromium', () => {
  test('when a page embeds Data Integrity credentials, then the genuine one is verified and the changed copy invalid, checked in the offscreen document', async () => {
    const page = await context.newPage();
    await page.goto(`${pages.url}/portfolio/`);
    await expect.poll(() => verdicts(page), { timeout: 30_000 }).toEqual({ genuine: 'verified', changed: 'invalid' });

    // The proofs were checked through the offscreen document (closed only after a minute without proofs).
    const extensionPage = await context.newPage();
    await extensionPage.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
    type Chrome = { chrome: { runtime: { getContexts(f: object): Promise<{ documentUrl?: string }[]> } } };
    const offscreen = await extensionPage.evaluate(async () =>
      (await (globalThis as unknown as Chrome).chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).map((c) => c.documentUrl),
    );
    expect(offscreen).toEqual([`chrome-extension://${extensionId}/extension/src/offscreen/index.html`]);
    await extensionPage.close();
    await page.close();
  }, 90_000);

  test('the offscreen permission adds no warning to what Chrome shows at install', async () => {
    const manifest = JSON.parse(readFileSync(join(ensureExtensionBuilt(), 'manifest.json'), 'utf8')) as { permissions: string[] };
    const without = { ...manifest, permissions: manifest.permissions.filter((p) => p !== 'offscreen') };
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
    type Chrome = { chrome: { management: { getPermissionWarningsByManifest(manifest: string): Promise<string[]> } } };
    const warnings = (m: object) => page.evaluate((text) => (globalThis as unknown as Chrome).chrome.management.getPermissionWarningsByManifest(text), JSON.stringify(m));
    expect(manifest.permissions).toContain('offscreen');
    expect(await warnings(manifest)).toEqual(await warnings(without));
    // The comparison can tell permissions apart: one that does warn changes the list.
    expect(await warnings({ ...manifest, permissions: [...manifest.permissions, 'history'] })).not.toEqual(await warnings(manifest));
    await page.close();
  });
});
