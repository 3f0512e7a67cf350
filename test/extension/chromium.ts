/**
 * Debian's Chromium driven by playwright-core, for detector tests (plain browser) and end-to-end
 * tests (with the built extension). Flags from shared/notes/toolchain.md: without the background
 * networking switches Chromium keeps trying to reach Google on a closed network.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const QUIET_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`node test/setup/prepare.mjs\` as root (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
}

export async function launchPlainChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: QUIET_FLAGS });
}

/** A persistent context with the unpacked extension at `dist` loaded. */
export async function launchWithExtension(dist: string): Promise<{ context: BrowserContext; extensionId: string; close(): Promise<void> }> {
  assertChromium();
  const profile = mkdtempSync(join(tmpdir(), 'microcred-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`, ...QUIET_FLAGS],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    extensionId: new URL(worker.url()).host,
    async close() {
      await context.close();
      // The throwaway profile goes with the browser (after it has exited, so nothing is written back).
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type Handler = (path: string, accept: string, headers: IncomingHttpHeaders) => { status?: number; type: string; body: string | Uint8Array; headers?: Record<string, string> } | undefined;

/** A loopback HTTP server answering from a handler (404 otherwise). */
export async function serveLoopback(handler: Handler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname + (new URL(req.url ?? '/', 'http://x').search ?? '');
    const answer = handler(path, String(req.headers.accept ?? ''), req.headers);
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(answer.status ?? 200, { 'content-type': answer.type, ...answer.headers }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * What a user does to let the extension run on a site: allow the site in the extension's
 * site-access settings (chrome://extensions, through its own developerPrivate API), then add it
 * in our options page, which asks permissions.request and registers the content script.
 * Optionally sets the trusted-issuer list URLs first.
 */
export async function enableSite(context: BrowserContext, extensionId: string, origin: string, trustListUrls: readonly string[] = []): Promise<void> {
  const settings = await context.newPage();
  await settings.goto('chrome://extensions');
  const pattern = `${new URL(origin).protocol}//${new URL(origin).hostname}/*`;
  type DeveloperPrivate = { chrome: { developerPrivate: { addHostPermission(id: string, host: string, done: () => void): void } } };
  await settings.evaluate(([id, host]) => new Promise<void>((resolve) => (globalThis as unknown as DeveloperPrivate).chrome.developerPrivate.addHostPermission(id!, host!, resolve)), [extensionId, pattern]);
  await settings.close();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
  if (trustListUrls.length > 0) {
    await options.fill('#trust-lists', trustListUrls.join('\n'));
    await options.click('#save-lists');
  }
  await options.fill('#new-site', origin);
  await options.click('#add-site');
  await options.waitForFunction((o) => document.querySelector('.sites')?.textContent?.includes(o), origin);
  await options.close();
}

/** Asks the background worker to forget every cached verdict and document (as the options page's button does). */
export async function clearExtensionCache(context: BrowserContext, extensionId: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/extension/src/options/index.html`);
  await page.click('#clear-cache');
  await page.waitForFunction(() => (document.querySelector('#status')?.textContent ?? '') !== '');
  await page.close();
}
