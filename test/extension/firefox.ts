/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the built Firefox package
 * (dist/firefox) installed as a temporary add-on (BiDi webExtension.install).
 *
 * How the content script gets onto the test pages: a user enables a site in the options page, which
 * asks for the site's permission and registers the script. WebDriver BiDi refuses to navigate a tab
 * to a moz-extension:// page, so the test cannot drive the options page; instead it installs a copy of
 * dist/firefox whose manifest also declares the same content script for 127.0.0.1 with its host
 * permission, as the options page would have registered it. Every file the browser runs is the build's own.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export function assertFirefox(): void {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox is not installed at ${FIREFOX}: run \`node test/setup/prepare.mjs\` as root (Debian: apt-get install -y firefox-esr) or set FIREFOX_PATH.`);
  }
}

/** Firefox with the add-on from `dist` installed, its content script running on http://127.0.0.1 pages. */
export async function launchFirefoxWithExtension(dist: string): Promise<{ browser: Browser; close(): Promise<void> }> {
  assertFirefox();
  const copy = mkdtempSync(join(tmpdir(), 'microcred-firefox-addon-'));
  cpSync(dist, copy, { recursive: true });
  const manifestFile = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  const contentScript = 'extension/src/content/main.js';
  if (!existsSync(join(copy, contentScript))) throw new Error(`the build has no ${contentScript}: has the content script moved?`);
  manifest.content_scripts = [{ matches: ['http://127.0.0.1/*'], js: [contentScript], run_at: 'document_idle' }];
  manifest.host_permissions = ['http://127.0.0.1/*'];
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  try {
    await browser.installExtension(copy);
  } catch (error) {
    await browser.close();
    rmSync(copy, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(copy, { recursive: true, force: true });
    },
  };
}
