/**
 * End to end in real Chromium with the built extension: the real tool issues credentials, a local
 * LinkedIn-like profile page links them, the user enables the site in the options page, and the
 * badges show the right verdicts: valid, revoked through the tool's own revocation, tampered, and
 * from an issuer missing from the user's trusted list. Screenshots go to test-results/.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awardCredential } from '../../lti-tool/src/issuance/award-engine.ts';
import { saveDefinition } from '../../lti-tool/src/issuance/definitions.ts';
import { revokeCredential } from '../../lti-tool/src/issuance/revocation.ts';
import { enableSite, launchWithExtension, serveLoopback } from '../extension/chromium.ts';
import { startToolServer, type ToolServer } from '../lti-tool/cli/tool-server.ts';
import { BINDING, EXAMPLE_DEFINITION } from '../lti-tool/issuance/issuance-fixture.ts';
import { tamper } from '../shared/verify/test-issuer.ts';
import { ensureExtensionBuilt } from './build-extension.ts';
import { dataIntegrityCredential } from './data-integrity-credential.ts';
import { certificationItem, profilePage, type Certification } from './profile-page.ts';

const RESULTS = join(new URL('../../', import.meta.url).pathname, 'test-results');

async function award(tool: ToolServer, key: string) {
  const { id: _id, ...definition } = EXAMPLE_DEFINITION;
  const saved = await saveDefinition(tool.runtime.store.definitions, { definition, passRule: { kind: 'min-score', minScore: 50, scoreMaximum: 100 }, binding: BINDING, publish: true });
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
  const outcome = await awardCredential(tool.runtime.issuance, { definitionId: saved.record.id, learner: { key, name: 'Maria Schneider', email: 'maria@example.org' }, result: { resultScore: 90, resultMaximum: 100 } });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome;
}

let tool: ToolServer;
let stranger: ToolServer;
let pages: Awaited<ReturnType<typeof serveLoopback>>;
let context: BrowserContext;
let closeBrowser: (() => Promise<void>) | undefined;
let extensionId: string;
let certifications: Certification[];
let later: Certification;
let validJwt: string;
let validId: string;

/** prepare.mjs honours MICROCRED_SKIP_BROWSER=1 with a loud banner; these tests are then skipped, visibly. */
const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  mkdirSync(RESULTS, { recursive: true });
  const dist = ensureExtensionBuilt();
  tool = await startToolServer('sqlite');
  stranger = await startToolServer('sqlite');
  const valid = await award(tool, 'learner-valid');
  const revoked = await award(tool, 'learner-revoked');
  const forgedFrom = await award(tool, 'learner-forged');
  const unknown = await award(stranger, 'learner-elsewhere');
  const shownLater = await award(tool, 'learner-later');
  validJwt = valid.credential.jwt;
  validId = valid.credential.id;
  const revocation = await revokeCredential(tool.runtime.issuance, { credentialId: revoked.credential.id, reason: 'Awarded by mistake' });
  expect(revocation.ok).toBe(true);
  const forged = tamper(forgedFrom.credential.jwt, (p) => ((p.credentialSubject as { achievement: { name: string } }).achievement.name = 'Brain Surgery (Advanced)'));

  const trustList = JSON.stringify({ type: 'MicrocredTrustList', name: 'Test list', issuers: [{ id: tool.runtime.issuer.id, name: 'Academy' }] });
  const state: { html: string } = { html: '' };
  pages = await serveLoopback((path) => {
    if (path === '/in/maria-schneider/') return { type: 'text/html; charset=utf-8', body: state.html };
    if (path === '/forged/credential.jwt') return { type: 'application/vc+jwt', body: forged };
    if (path === '/trust.json') return { type: 'application/json', body: trustList };
    return undefined;
  });
  certifications = [
    { name: 'Valid: Data Literacy', issuer: 'Academy', url: valid.url },
    { name: 'Revoked: Data Literacy', issuer: 'Academy', url: revoked.url },
    { name: 'Tampered: Brain Surgery', issuer: 'Academy', url: `${pages.url}/forged/credential.jwt` },
    { name: 'Unknown issuer: Data Literacy', issuer: 'Elsewhere', url: unknown.url },
  ];
  later = { name: 'Shown later: Data Literacy', issuer: 'Academy', url: shownLater.url };
  state.html = profilePage('Maria Schneider', certifications);
  ({ context, extensionId, close: closeBrowser } = await launchWithExtension(dist));
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await pages?.close();
  await tool?.close();
  await stranger?.close();
});

/** The badge verdict shown next to each certification name. */
async function verdicts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const host of document.querySelectorAll('[data-microcred-verdict]')) {
      const name = host.closest('li.artdeco-list__item')?.querySelector('[aria-hidden="true"]')?.textContent ?? '?';
      // Shown means drawn: the badge's shadow content is built in idle time after its host goes in.
      out[name] = host.shadowRoot ? (host.getAttribute('data-microcred-verdict') ?? '') : 'not drawn yet';
    }
    return out;
  });
}

describe.skipIf(SKIP_BROWSER)('the extension in Chromium', () => {
  test('the build holds no import(): MV3 service workers refuse it, so Data Integrity would fail only at run time', () => {
    const assets = join(new URL('../../', import.meta.url).pathname, 'dist/chrome/assets');
    const offenders = readdirSync(assets).filter((f) => f.endsWith('.js') && /\bimport\(/.test(readFileSync(join(assets, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('when the user enables the site and a trusted list, then every credential gets its verdict beside it', async () => {
    await enableSite(context, extensionId, pages.url, [`${pages.url}/trust.json`]);
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
    await expect.poll(() => options.textContent('.sites')).toContain(pages.url);
    expect(await options.inputValue('#trust-lists')).toBe(`${pages.url}/trust.json`);
    await options.screenshot({ path: join(RESULTS, 'extension-options.png') });
    await options.close();

    const page = await context.newPage();
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.goto(`${pages.url}/in/maria-schneider/`);
    await expect.poll(() => verdicts(page), { timeout: 20_000 }).toEqual({
      'Valid: Data Literacy': 'verified',
      'Revoked: Data Literacy': 'revoked',
      'Tampered: Brain Surgery': 'invalid',
      'Unknown issuer: Data Literacy': 'untrusted',
    });

    // Each verdict has its own accessible name.
    const names = await page.locator('[data-microcred-verdict] button.badge').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(new Set(names).size).toBe(4);
    expect(names).toContain('Credential check: Verified, trusted issuer');
    // A signature that does not match says so.
    expect(names).toContain('Credential check: Invalid signature');
    // …and its own colour and icon (revoked and invalid share red, not their icon).
    const looks = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-microcred-verdict]')].map((host) => {
          const button = host.shadowRoot!.querySelector('button')!;
          return [host.getAttribute('data-microcred-verdict'), `${getComputedStyle(button).backgroundColor} ${button.querySelector('[aria-hidden]')!.textContent}`];
        }),
      ),
    );
    expect(new Set(Object.values(looks)).size).toBe(4);
    expect(looks.verified).toMatch(/^rgb\(26, 127, 55\) ✓$/);

    await page.screenshot({ path: join(RESULTS, 'extension-profile-badges.png') });

    // The card renderer is not part of the content script: the worker brings it in when a card first opens.
    const built = join(new URL('../../', import.meta.url).pathname, 'dist/chrome/extension/src');
    expect(readFileSync(join(built, 'content/main.js'), 'utf8')).not.toContain('nameMatches');
    expect(readFileSync(join(built, 'ui/card-ui.js'), 'utf8')).toContain('nameMatches');
    // Keyboard focus opens the card: title, learner with the name match, EU elements, the checks.
    await page.locator('[data-microcred-verdict="verified"] button.badge').focus();
    const card = page.locator('[data-microcred-verdict="verified"] .card');
    await expect.poll(() => card.textContent()).toContain('Data Literacy for Public Administration');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Maria Schneider (name matches)');
    expect(text).toMatch(/ECTS\s*\d/);
    expect(text).toMatch(/EQF level\s*\d/);
    expect(text).toContain('Signature');
    await page.screenshot({ path: join(RESULTS, 'extension-profile-card.png'), fullPage: true });

    // The card's "Full report" opens the extension's report page with every check's detail.
    const [report] = await Promise.all([context.waitForEvent('page'), card.locator('button.report').click()]);
    await expect.poll(() => report.textContent('body'), { timeout: 10_000 }).toContain('signature.valid');
    expect(report.url()).toContain(`chrome-extension://${extensionId}/extension/src/report/index.html`);
    await report.screenshot({ path: join(RESULTS, 'extension-report.png'), fullPage: true });
    await report.close();

    // "Show more": an entry added after load gets its badge too, and nothing is badged twice.
    await page.evaluate((html) => document.querySelector('#certifications')!.insertAdjacentHTML('beforeend', html), certificationItem(later));
    await expect.poll(() => verdicts(page), { timeout: 20_000 }).toMatchObject({ 'Shown later: Data Literacy': 'verified' });
    expect(await page.locator('[data-microcred-verdict]').count()).toBe(5);

    // "Check this page" from the popup injects the same script again: it must not run twice.
    const extensionPage = await context.newPage();
    await extensionPage.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
    type Chrome = { chrome: { tabs: { query(q: object): Promise<{ id: number }[]> }; runtime: { sendMessage(m: object): Promise<unknown> } } };
    const injected = await extensionPage.evaluate(async (url) => {
      const { chrome } = globalThis as unknown as Chrome;
      const [tab] = await chrome.tabs.query({ url: `${url}/in/*` });
      return chrome.runtime.sendMessage({ type: 'check-tab', tabId: tab!.id });
    }, pages.url);
    expect(injected).toEqual({ ok: true });
    // What the popup lists for the tab: every credential with its verdict, and the profile's name.
    const listed = (await extensionPage.evaluate(async (url) => {
      const { chrome } = globalThis as unknown as Chrome & { chrome: { tabs: { sendMessage(id: number, m: object): Promise<unknown> } } };
      const [tab] = await chrome.tabs.query({ url: `${url}/in/*` });
      return (chrome.tabs as unknown as { sendMessage(id: number, m: object): Promise<unknown> }).sendMessage(tab!.id, { type: 'microcred:list' });
    }, pages.url)) as { profileName: string; findings: { label: string; verdict: string }[] };
    expect(listed.profileName).toBe('Maria Schneider');
    expect(listed.findings.map((f) => [f.label, f.verdict]).sort()).toEqual([
      ['Revoked: Data Literacy', 'revoked'],
      ['Shown later: Data Literacy', 'verified'],
      ['Tampered: Brain Surgery', 'invalid'],
      ['Unknown issuer: Data Literacy', 'untrusted'],
      ['Valid: Data Literacy', 'verified'],
    ]);
    await extensionPage.close();
    expect(await page.locator('[data-microcred-verdict]').count()).toBe(5);
    await page.close();
  }, 90_000);

  test('when a credential is pasted into the popup, then it is verified there', async () => {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/extension/src/popup/index.html`);
    await popup.fill('textarea', validJwt);
    await popup.click('button.primary:not([disabled])');
    await expect.poll(() => popup.textContent('.card'), { timeout: 20_000 }).toContain('Verified');
    await popup.screenshot({ path: join(RESULTS, 'extension-popup.png') });

    // A baked badge image from the tool, given to the popup's file box, is read and verified too.
    const badge = await fetch(`${tool.baseUrl}/credentials/${validId}/badge.svg`);
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    await popup.reload();
    await popup.setInputFiles('input[type="file"]', { name: 'badge.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(await badge.arrayBuffer()) });
    await expect.poll(() => popup.textContent('.card'), { timeout: 20_000 }).toContain('Verified');
    await popup.close();
  }, 60_000);

  test('when a Data Integrity (eddsa-rdfc-2022) credential is pasted, then it is verified (through the offscreen proof worker: no import() in MV3 workers)', async () => {
    const signed = await dataIntegrityCredential('urn:uuid:0b6a3a34-2f54-4f7e-9d1b-0000000000e5');
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/extension/src/popup/index.html`);
    await popup.fill('textarea', JSON.stringify(signed));
    await popup.click('button.primary:not([disabled])');
    await expect.poll(() => popup.textContent('.card'), { timeout: 20_000 }).toMatch(/Signature — passed/);
    await popup.close();
  }, 60_000);
});
