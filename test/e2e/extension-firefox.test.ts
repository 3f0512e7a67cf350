/**
 * The Firefox package in Debian's Firefox ESR: the same content script, background page (an event
 * page in Firefox, not a service worker) and proof worker (started by the background page itself,
 * Firefox having no offscreen documents) as the Chromium tests exercise. On a profile page served on
 * loopback: a genuine VC-JWT is verified, a tampered copy is an invalid signature, and an embedded
 * eddsa-rdfc-2022 Data Integrity credential is verified through the proof worker; the card, which
 * the background page injects on first opening, shows the credential.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildAchievementCredential } from '../../shared/credential/build-credential.ts';
import type { Learner, MicroCredentialDefinition } from '../../shared/credential/types.ts';
import { buildDidWebDocument } from '../../shared/crypto/did-web.ts';
import { generateSigningKey } from '../../shared/crypto/keys.ts';
import { signVcJwt } from '../../shared/crypto/vc-jwt.ts';
import { serveLoopback } from '../extension/chromium.ts';
import { launchFirefoxWithExtension } from '../extension/firefox.ts';
import { tamper } from '../shared/verify/test-issuer.ts';
import { ensureExtensionBuilt } from './build-extension.ts';
import { dataIntegrityCredential } from './data-integrity-credential.ts';
import { profilePage } from './profile-page.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const RESULTS = join(ROOT, 'test-results');
const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';
const readExample = (name: string) => JSON.parse(readFileSync(join(ROOT, 'examples', name), 'utf8'));

let browser: Browser;
let closeBrowser: (() => Promise<void>) | undefined;
let server: Awaited<ReturnType<typeof serveLoopback>>;

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  mkdirSync(RESULTS, { recursive: true });
  const dist = join(ensureExtensionBuilt(), '..', 'firefox');
  const documents = new Map<string, { type: string; body: string }>();
  server = await serveLoopback((path) => documents.get(path));
  const did = `did:web:127.0.0.1%3A${(server.server.address() as AddressInfo).port}`;
  const key = await generateSigningKey('EdDSA');
  const kid = `${did}#${key.thumbprint}`;
  documents.set('/.well-known/did.json', { type: 'application/did+json', body: JSON.stringify(buildDidWebDocument(did, [{ kid, publicJwk: key.publicJwk }])) });
  const issue = async (id: string) =>
    signVcJwt(
      await buildAchievementCredential({
        definition: readExample('definition.json') as MicroCredentialDefinition,
        learner: readExample('learner.json') as Learner,
        issuerId: did,
        credentialId: `${server.url}/credentials/${id}`,
        result: { issuedAt: new Date('2026-01-15T10:00:00Z') },
      }),
      { privateJwk: key.privateJwk, alg: 'EdDSA', kid },
    );
  const validId = 'firefoxValid0123456789abcdef';
  const forgedId = 'firefoxForged0123456789abcde';
  documents.set(`/credentials/${validId}`, { type: 'application/vc+jwt', body: await issue(validId) });
  const forged = tamper(await issue(forgedId), (p) => ((p.credentialSubject as { achievement: { name: string } }).achievement.name = 'Brain Surgery (Advanced)'));
  documents.set(`/credentials/${forgedId}`, { type: 'application/vc+jwt', body: forged });
  const signed = await dataIntegrityCredential('urn:uuid:0b6a3a34-2f54-4f7e-9d1b-0000000000f1');
  const profile = profilePage('Maria Schneider', [
    { name: 'Valid: Data Literacy', issuer: 'Academy', url: `${server.url}/credentials/${validId}` },
    { name: 'Tampered: Brain Surgery', issuer: 'Academy', url: `${server.url}/credentials/${forgedId}` },
  ]).replace(
    '</main>',
    `<section id="portfolio"><h2>Portfolio</h2><p>Data Integrity</p><script type="application/vc+ld+json">${JSON.stringify(signed).replace(/</g, '\\u003c')}</script></section></main>`,
  );
  documents.set('/in/maria-schneider/', { type: 'text/html; charset=utf-8', body: profile });
  ({ browser, close: closeBrowser } = await launchFirefoxWithExtension(dist));
}, 180_000);

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

/** Each badge's verdict keyed by what it stands beside, and its accessible name. */
const badges = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-microcred-verdict]')].map((host) => ({
      beside: (host.previousElementSibling?.textContent ?? '').trim(),
      verdict: host.getAttribute('data-microcred-verdict'),
      label: host.shadowRoot?.querySelector('button.badge')?.getAttribute('aria-label') ?? null,
    })),
  );

describe.skipIf(SKIP_BROWSER)('the extension in Firefox', () => {
  test('a genuine credential is verified, a tampered one is an invalid signature, a Data Integrity one is verified by the proof worker; the card opens', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/in/maria-schneider/`);
    await expect
      .poll(async () => (await badges(page)).filter((b) => b.verdict !== 'pending').length, { timeout: 30_000, interval: 250 })
      .toBe(3);
    expect(await badges(page)).toEqual([
      { beside: 'Valid: Data Literacy', verdict: 'verified', label: 'Credential check: Verified' },
      { beside: 'Tampered: Brain Surgery', verdict: 'invalid', label: 'Credential check: Invalid signature' },
      { beside: 'Data Integrity', verdict: 'verified', label: 'Credential check: Verified' },
    ]);

    // Focus opens the card; its renderer is injected by the background page on first use.
    await page.evaluate(() => (document.querySelector('[data-microcred-verdict="verified"]')!.shadowRoot!.querySelector('button.badge') as HTMLElement).focus());
    const cardText = () => page.evaluate(() => document.querySelector('[data-microcred-verdict="verified"]')!.shadowRoot!.querySelector('.card')?.textContent ?? '');
    await expect.poll(cardText, { timeout: 15_000, interval: 250 }).toContain('Data Literacy for Public Administration');
    expect(await cardText()).toContain('Maria Schneider (name matches)');
    await page.screenshot({ path: join(RESULTS, 'extension-firefox-card.png') as `${string}.png` });
    await page.close();
  }, 120_000);
});
