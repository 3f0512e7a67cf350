/** browser.i18n with a fallback to the key itself, so a missing translation shows something readable instead of nothing. */
import browser from 'webextension-polyfill';

export function t(key: string, substitutions?: string | string[]): string {
  try {
    return browser.i18n.getMessage(key, substitutions) || key;
  } catch {
    return key;
  }
}
