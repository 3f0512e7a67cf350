/**
 * End to end in real Chromium with the built extension, on a local Open Badges 2.0 issuer site
 * (ob2-badge-site.ts, real HTTP on loopback):
 * 1. OB 2.0 badges baked into PNGs are verified in the worker through shared/ob2: a hosted badge
 *    shows "verified", one on the issuer's revocation list "revoked", and one whose assertion id
 *    lies on a host its issuer does not allow (the hosted-verification domain rule) "invalid".
 * 2. Verdicts outlive the MV3 service worker: after the browser stops the worker (CDP
 *    ServiceWorker.stopAllWorkers, confirmed by its status events) a reload shows the same verdicts from storage.session, with no
 *    request reaching the badge site; "clear cache" in the options page empties that storage, and
 *    the next load fetches again.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clearExtensionCache, enableSite, launchWithExtension } from '../extension/chromium.ts';
import { ensureExtensionBuilt } from './build-extension.ts';
import { OB2_BADGES, startOb2Site, type Ob2Site } from './ob2-badge-site.ts';

const RESULTS = join(new URL('../../', import.meta.url).pathname, 'test-results');
/** prepare.mjs honours MICROCRED_SKIP_BROWSER=1 with a loud banner; these tests are then skipped, visibly. */
const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';

let site: Ob2Site;
let context: BrowserContext;
let extensionId: string;
let closeBrowser: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  mkdirSync(RESULTS, { recursive: true });
  const dist = ensureExtensionBuilt();
  site = await startOb2Site();
  ({ context, extensionId, close: closeBrowser } = await launchWithExtension(dist));
  await enableSite(context, extensionId, site.url);
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await site?.close();
});

/** The verdict on the badge placed right after each badge image, by the image's alt text. */
async function verdicts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('#badges img')].map((img) => {
        const host = img.nextElementSibling;
        // Shown means drawn: the badge's shadow content is built in idle time after its host goes in.
        return [img.getAttribute('alt'), host?.shadowRoot ? host.getAttribute('data-microcred-verdict') : 'not drawn yet'];
      }),
    ),
  );
}

const EXPECTED = { [OB2_BADGES.verified]: 'verified', [OB2_BADGES.revoked]: 'revoked', [OB2_BADGES.invalid]: 'invalid' };

/** Our items in the worker's session storage, read from an extension page (a trusted context). */
async function sessionKeys(): Promise<string[]> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
  type Chrome = { chrome: { storage: { session: { get(keys: null): Promise<Record<string, unknown>> } } } };
  const keys = await page.evaluate(async () => Object.keys(await (globalThis as unknown as Chrome).chrome.storage.session.get(null)));
  await page.close();
  return keys.filter((k) => k.startsWith('microcred.verdicts.'));
}

/**
 * Watches our service worker's running status through CDP (ServiceWorker domain, from an extension
 * page), and stops it as the browser does when it is idle. Playwright keeps listing a stopped
 * worker, so the browser's own status events are what the test trusts.
 */
async function watchServiceWorker() {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
  const cdp = await context.newCDPSession(page);
  const statuses: string[] = [];
  type Versions = { versions: { scriptURL: string; runningStatus: string }[] };
  cdp.on('ServiceWorker.workerVersionUpdated', (event: Versions) => {
    for (const version of event.versions) if (version.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) statuses.push(version.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  return {
    statuses,
    async stop() {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await expect.poll(() => statuses.at(-1), { timeout: 10_000 }).toBe('stopped');
    },
    async close() {
      await cdp.detach();
      await page.close();
    },
  };
}

describe.skipIf(SKIP_BROWSER)('Open Badges 2.0 badges and the verdict cache, in Chromium', () => {
  test('baked OB 2.0 PNGs get their verdicts: hosted → verified, on the revocation list → revoked, hosted on a host the issuer does not allow → invalid', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}${site.pagePath}`);
    await expect.poll(() => verdicts(page), { timeout: 20_000 }).toEqual(EXPECTED);
    await page.screenshot({ path: join(RESULTS, 'extension-ob2-badges.png') });

    // The card shows what the OB 2.0 documents say: the BadgeClass name, the Issuer, each check.
    await page.locator('[data-microcred-verdict="verified"] button.badge').focus();
    const card = page.locator('[data-microcred-verdict="verified"] .card');
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('Robotics Fundamentals');
    expect(await card.textContent()).toContain('Loopback Robotics Academy');
    // The signature is not what failed: the badge does not claim it did.
    expect(await page.locator('[data-microcred-verdict="invalid"] button.badge').getAttribute('aria-label')).toBe('Credential check: Invalid credential');
    await page.locator('[data-microcred-verdict="invalid"] button.badge').focus();
    await expect.poll(() => page.locator('[data-microcred-verdict="invalid"] .card').textContent(), { timeout: 10_000 }).toContain('does not allow');
    await page.locator('[data-microcred-verdict="revoked"] button.badge').focus();
    await expect.poll(() => page.locator('[data-microcred-verdict="revoked"] .card').textContent(), { timeout: 10_000 }).toContain('Awarded by mistake');
    // Only the issuer's own host was asked: the domain rule refused the badge before fetching from localhost.
    expect(site.hits.get('/ob2/assertions/elsewhere.json')).toBeUndefined();
    await page.close();
  }, 60_000);

  test('after the browser stops the service worker, a reload shows the verdicts from storage.session without fetching; "clear cache" empties it', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}${site.pagePath}`);
    await expect.poll(() => verdicts(page), { timeout: 20_000 }).toEqual(EXPECTED);
    expect((await sessionKeys()).length).toBeGreaterThan(0);
    const fetchedBefore = site.badgeRequests();
    expect(fetchedBefore).toBeGreaterThan(0);

    const worker = await watchServiceWorker();
    await worker.stop();
    const stoppedAt = worker.statuses.length;
    await page.reload();
    await expect.poll(() => verdicts(page), { timeout: 20_000 }).toEqual(EXPECTED);
    // The page's connection started the worker again, with empty memory…
    expect(worker.statuses.slice(stoppedAt)).toContain('running');
    await worker.close();
    // …and no image, assertion, BadgeClass, Issuer or revocation list was fetched again.
    expect(site.badgeRequests()).toBe(fetchedBefore);
    await page.screenshot({ path: join(RESULTS, 'extension-ob2-after-worker-restart.png') });

    await clearExtensionCache(context, extensionId);
    expect(await sessionKeys()).toEqual([]);
    await page.reload();
    await expect.poll(() => verdicts(page), { timeout: 20_000 }).toEqual(EXPECTED);
    expect(site.badgeRequests()).toBeGreaterThan(fetchedBefore);
    expect(site.hits.get('/ob2/badge-robotics.png')).toBeGreaterThanOrEqual(2);
    await page.close();
  }, 90_000);
});
