/** Stands in for chrome.i18n when the badge runs in a plain page (no extension APIs): English messages from the locale file. */
import messages from '../../extension/public/_locales/en/messages.json';

const table = messages as Record<string, { message: string }>;

Object.assign(globalThis, {
  chrome: {
    i18n: {
      getMessage(key: string, substitutions?: string | string[]): string {
        const first = Array.isArray(substitutions) ? substitutions[0] : substitutions;
        return (table[key]?.message ?? '').replace(/\$[A-Z_]+\$/g, first ?? '');
      },
    },
  },
});
