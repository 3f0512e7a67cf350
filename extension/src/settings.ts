/** The user's settings, in storage.local (never synced anywhere by us): trusted-issuer list URLs and auto-check sites. */
import browser from 'webextension-polyfill';

export { originPattern, siteOrigin } from './site-origin.ts';

export interface Settings {
  /** URLs of trusted-issuer lists (README, "Trusted issuer lists"). */
  readonly trustListUrls: readonly string[];
  /** Origins (https://www.linkedin.com) where the content script runs by itself. */
  readonly sites: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = { trustListUrls: [], sites: [] };

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(['trustListUrls', 'sites'])) as Partial<Record<keyof Settings, unknown>>;
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return { trustListUrls: strings(stored.trustListUrls), sites: strings(stored.sites) };
}

export async function saveSettings(change: Partial<Settings>): Promise<void> {
  await browser.storage.local.set(change);
}
