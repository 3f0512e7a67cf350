/**
 * The inline badge in real Chromium (focus and shadow-DOM event paths are the browser's, not a
 * fake's): one shadow root per credential, verdict repaints in place, and the card opened by focus
 * or click and closed by Escape or by focus leaving, with focus, key and click handling shared
 * rather than wired per badge.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CredentialView } from '../../extension/src/protocol.ts';
import { launchPlainChromium, serveLoopback } from './chromium.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Badges</title></head><body>
<main><h1>Maria Schneider</h1><ul>
${Array.from({ length: 50 }, (_, i) => `<li><a class="cred" href="/credentials/c${i}"><span class="name">Credential ${i + 1}</span></a></li>`).join('\n')}
</ul><button id="elsewhere">Elsewhere</button></main></body></html>`;

const VIEW: CredentialView = {
  verdict: 'verified',
  summary: 'Signed by its issuer and not revoked.',
  reportKey: 'report-1',
  title: 'Data Literacy for Public Administration',
  issuerName: 'Academy',
  learnerName: 'Maria Schneider',
  checks: [{ name: 'Signature', status: 'passed', message: 'valid' }],
};

let browser: Browser;
let page: Page;
let harness: string;
let server: Awaited<ReturnType<typeof serveLoopback>>;

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  const bundle = await build({
    entryPoints: [join(ROOT, 'test/extension/badge-harness.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'chrome116',
    jsx: 'automatic',
    jsxImportSource: 'preact',
  });
  harness = bundle.outputFiles[0]!.text;
  server = await serveLoopback((path) => (path === '/badges.html' ? { type: 'text/html; charset=utf-8', body: PAGE } : undefined));
  browser = await launchPlainChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function mountOnFreshPage(): Promise<void> {
  page = await browser.newPage();
  await page.goto(`${server.url}/badges.html`);
  await page.addScriptTag({ content: harness });
  // The badge sits inside the page's own link here: clicks on it must reach neither the page's handlers nor the link.
  await page.evaluate(() => {
    (globalThis as unknown as { pageClicks: number }).pageClicks = 0;
    document.addEventListener('click', () => (globalThis as unknown as { pageClicks: number }).pageClicks++);
  });
  expect(await page.evaluate(() => (globalThis as unknown as { microcredMount(s: string): number }).microcredMount('a.cred .name'))).toBe(50);
}

const update = (index: number, view: CredentialView) => page.evaluate(([i, v]) => (globalThis as unknown as { microcredUpdate(i: number, v: unknown): void }).microcredUpdate(i as number, v), [index, view] as const);
const expanded = (index: number) => page.evaluate((i) => document.querySelectorAll('[data-microcred-verdict]')[i]!.shadowRoot!.querySelector('button')!.getAttribute('aria-expanded'), index);
const cardText = (index: number) => page.evaluate((i) => document.querySelectorAll('[data-microcred-verdict]')[i]!.shadowRoot!.querySelector('.card')?.textContent ?? null, index);

describe.skipIf(SKIP_BROWSER)('the inline badge', () => {
  test('when fifty credentials are badged, then each gets one host with its own shadow root, button and card slot, checking', async () => {
    await mountOnFreshPage();
    const hosts = await page.evaluate(() =>
      [...document.querySelectorAll('[data-microcred-verdict]')].map((host) => ({
        verdict: host.getAttribute('data-microcred-verdict'),
        label: host.shadowRoot?.querySelector('button.badge')?.getAttribute('aria-label'),
        controls: host.shadowRoot?.querySelector('button.badge')?.getAttribute('aria-controls'),
        sheets: host.shadowRoot?.adoptedStyleSheets.length,
      })),
    );
    expect(hosts).toHaveLength(50);
    // aria-controls names the card once there is one (see the focus test), not an element that does not exist yet.
    for (const host of hosts) expect(host).toEqual({ verdict: 'pending', label: 'Credential check: Checking…', controls: null, sheets: 1 });
    // One constructed stylesheet shared by every shadow root.
    expect(await page.evaluate(() => new Set([...document.querySelectorAll('[data-microcred-verdict]')].map((h) => h.shadowRoot!.adoptedStyleSheets[0])).size)).toBe(1);
    await page.close();
  });

  test('when badges are mounted, then each is named for assistive technology at once, and a verdict renames it in place', async () => {
    await mountOnFreshPage();
    // The browser's accessibility tree names every badge before any verdict arrives.
    expect(await page.getByRole('button', { name: 'Credential check: Checking…' }).count()).toBe(50);
    await update(1, VIEW);
    expect(await page.getByRole('button', { name: 'Credential check: Verified' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Credential check: Checking…' }).count()).toBe(49);
    await page.close();
  });

  test('when a verdict arrives, then the host attribute, icon, words and accessible name change in place', async () => {
    await mountOnFreshPage();
    await update(3, { ...VIEW, verdict: 'revoked' });
    const looks = await page.evaluate(() => {
      const host = document.querySelectorAll('[data-microcred-verdict]')[3]!;
      const button = host.shadowRoot!.querySelector('button')!;
      return { verdict: host.getAttribute('data-microcred-verdict'), icon: button.querySelector('[aria-hidden]')!.textContent, text: button.textContent, label: button.getAttribute('aria-label'), colour: getComputedStyle(button).backgroundColor };
    });
    expect(looks).toEqual({ verdict: 'revoked', icon: '⊘', text: '⊘Revoked', label: 'Credential check: Revoked', colour: 'rgb(179, 38, 30)' });
    expect(await page.evaluate(() => document.querySelectorAll('[data-microcred-verdict="pending"]').length)).toBe(49);
    await page.close();
  });

  test('when keyboard focus reaches a badge, then its card opens; moving into the card keeps it; Escape or leaving closes it', async () => {
    await mountOnFreshPage();
    await update(0, VIEW);
    await page.locator('[data-microcred-verdict="verified"] button.badge').focus();
    expect(await expanded(0)).toBe('true');
    expect(await cardText(0)).toContain('Maria Schneider (name matches)');
    expect(
      await page.evaluate(() => {
        const shadow = document.querySelector('[data-microcred-verdict="verified"]')!.shadowRoot!;
        return shadow.querySelector('button.badge')!.getAttribute('aria-controls') === shadow.querySelector('.card')!.id;
      }),
    ).toBe(true);
    // Focus moving from the badge into its own card (the report button) does not close it.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toBe('report');
    expect(await expanded(0)).toBe('true');
    await page.keyboard.press('Escape');
    expect(await expanded(0)).toBe('false');
    expect(await cardText(0)).toBeNull();
    // Focus again, then leave the badge for the page: the card closes.
    await page.locator('[data-microcred-verdict="verified"] button.badge').focus();
    expect(await expanded(0)).toBe('true');
    await page.locator('#elsewhere').focus();
    expect(await expanded(0)).toBe('false');
    // A badge still checking opens nothing.
    await page.locator('[data-microcred-verdict="pending"] button.badge').first().focus();
    expect(await expanded(1)).toBe('false');
    await page.close();
  });

  test('when the badge inside a page link is clicked, then its card toggles and neither the link nor the page sees the click', async () => {
    await mountOnFreshPage();
    await update(0, VIEW);
    const before = page.url();
    await page.locator('[data-microcred-verdict="verified"] button.badge').click();
    expect(await expanded(0)).toBe('true');
    await page.locator('[data-microcred-verdict="verified"] .card button.report').click();
    expect(await page.evaluate(() => (globalThis as unknown as { microcredReports(): string[] }).microcredReports())).toEqual(['report-1']);
    expect(page.url()).toBe(before);
    expect(await page.evaluate(() => (globalThis as unknown as { pageClicks: number }).pageClicks)).toBe(0);
    await page.close();
  });
});
