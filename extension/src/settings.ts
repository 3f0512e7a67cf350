/** The user's settings, in storage.local (never synced anywhere by us): trusted-issuer list URLs and auto-check sites. */
import browser from 'webextension-polyfill';

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

/** "linkedin.com", "https://www.linkedin.com/in/x" → the origin "https://www.linkedin.com"; undefined for anything else. */
export function siteOrigin(input: string): string | undefined {
  const text = input.trim();
  if (text === '' || text.length > 300) return undefined;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The host permission pattern for an origin (match patterns carry no port). */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
