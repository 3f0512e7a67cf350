/**
 * browser.i18n with a fallback to the key itself, so a missing translation shows something readable
 * instead of nothing. Messages cannot change while a page lives, so each (key, substitution) is
 * looked up once: fifty badges ask for the same few strings.
 */
import browser from 'webextension-polyfill';

const cache = new Map<string, string>();

export function t(key: string, substitutions?: string | string[]): string {
  const cacheKey = substitutions === undefined ? key : `${key}\u0000${String(substitutions)}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  let message: string;
  try {
    message = browser.i18n.getMessage(key, substitutions) || key;
  } catch {
    message = key;
  }
  if (cache.size < 500) cache.set(cacheKey, message);
  return message;
}
