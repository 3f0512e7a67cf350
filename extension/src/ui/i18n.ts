/**
 * browser.i18n with a fallback to the key itself, so a missing translation shows something readable
 * instead of nothing. Messages cannot change while a page lives, so each (key, substitution) is
 * looked up once: fifty badges ask for the same few strings. getMessage is synchronous in both
 * browsers, so this reads `browser.i18n` (Firefox) or `chrome.i18n` (Chromium) directly and keeps
 * webextension-polyfill out of the content script.
 */
type I18n = { getMessage(key: string, substitutions?: string | string[]): string };

const cache = new Map<string, string>();

function i18n(): I18n | undefined {
  const scope = globalThis as { browser?: { i18n?: I18n }; chrome?: { i18n?: I18n } };
  return scope.browser?.i18n ?? scope.chrome?.i18n;
}

export function t(key: string, substitutions?: string | string[]): string {
  const cacheKey = substitutions === undefined ? key : `${key}\u0000${String(substitutions)}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  let message: string;
  try {
    message = i18n()?.getMessage(key, substitutions) || key;
  } catch {
    message = key;
  }
  if (cache.size < 500) cache.set(cacheKey, message);
  return message;
}
