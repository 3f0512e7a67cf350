/**
 * The words on the page badges (each verdict, and the button's accessible name), in the browser's
 * language. The background worker looks them up and sends them when a page connects: the first
 * `i18n.getMessage` in a page makes the browser ship the extension's whole message catalogue to the
 * page's process and waits for it, which alone cost more than finding and badging fifty credentials.
 * The card, opened on demand, still asks i18n itself.
 */
import { t } from './i18n.ts';
import { VERDICT_MESSAGE_KEYS, verdictMessageKey, type VerdictWordsOf } from './verdict-text.ts';

export interface BadgeWord {
  /** What the badge shows. */
  readonly text: string;
  /** The badge button's accessible name ("Credential check: Verified"). */
  readonly label: string;
}

export type BadgeWords = Readonly<Record<string, BadgeWord>>;

const MAX_WORD = 200;

/** Looked up where i18n is cheap (the worker, an extension page). */
export function lookUpBadgeWords(): BadgeWords {
  const words: Record<string, BadgeWord> = {};
  for (const key of VERDICT_MESSAGE_KEYS) {
    const text = t(key);
    words[key] = { text, label: t('badgeLabel', text) };
  }
  return words;
}

/** The words as received over the port: every key present, short plain strings; undefined otherwise. */
export function readBadgeWords(value: unknown): BadgeWords | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const words: Record<string, BadgeWord> = {};
  for (const key of VERDICT_MESSAGE_KEYS) {
    const word = (value as Record<string, unknown>)[key] as Partial<BadgeWord> | undefined;
    if (typeof word?.text !== 'string' || typeof word.label !== 'string' || word.text.length > MAX_WORD || word.label.length > MAX_WORD) return undefined;
    words[key] = { text: word.text, label: word.label };
  }
  return words;
}

let current: BadgeWords | undefined;

export function useBadgeWords(words: BadgeWords): void {
  current = words;
}

/** The words for a verdict: from the worker when it sent them, else from i18n here. */
export function badgeWord(view: VerdictWordsOf): BadgeWord {
  const key = verdictMessageKey(view);
  return (current ??= lookUpBadgeWords())[key]!;
}
