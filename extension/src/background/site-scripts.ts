/**
 * Runs the content script by itself only on the sites the user enabled in the options, through
 * `scripting.registerContentScripts` (one registration per site, kept across sessions), and only
 * while the browser still grants the host permission for that site. Elsewhere the user starts a
 * check from the popup, which injects the same script through `activeTab`.
 */
import browser from 'webextension-polyfill';
import { loadSettings, originPattern } from '../settings.ts';

const ID_PREFIX = 'microcred-site-';

export async function syncSiteScripts(contentScriptFile: string): Promise<string[]> {
  const { sites } = await loadSettings();
  const wanted = new Map<string, string>();
  for (const site of sites) {
    const pattern = originPattern(site);
    if (await browser.permissions.contains({ origins: [pattern] })) wanted.set(`${ID_PREFIX}${pattern.replace(/[^a-z0-9]+/gi, '-')}`, pattern);
  }
  const registered = (await browser.scripting.getRegisteredContentScripts()).filter((s) => s.id.startsWith(ID_PREFIX));
  const stale = registered.filter((s) => !wanted.has(s.id)).map((s) => s.id);
  if (stale.length > 0) await browser.scripting.unregisterContentScripts({ ids: stale });
  const known = new Set(registered.map((s) => s.id));
  const fresh = [...wanted].filter(([id]) => !known.has(id));
  if (fresh.length > 0) {
    await browser.scripting.registerContentScripts(
      fresh.map(([id, pattern]) => ({ id, matches: [pattern], js: [contentScriptFile], runAt: 'document_idle' as const, persistAcrossSessions: true })),
    );
  }
  return [...wanted.values()];
}

/** The popup's "Check this page": inject into the active tab (activeTab grants access on the click). */
export async function injectIntoTab(tabId: number, contentScriptFile: string): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId }, files: [contentScriptFile] });
}
