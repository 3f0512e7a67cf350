/**
 * Multilingual text (BCP 47-keyed LangText) and the `translations` object of our JSON-LD context:
 * OB 3.0 wants plain-string name/description in one language, so every other language travels in
 * `achievement.translations[lang]`.
 */
import type { LangText, MicroCredentialDefinition } from './types.ts';

/** Definition texts that land in the `microCredential` object (default language) and in translations. */
export const TRANSLATED_FIELDS = [
  'assessmentType',
  'qualityAssurance',
  'prerequisites',
  'furtherInformation',
  'modeOfDelivery',
  'targetGroup',
  'purpose',
] as const;

/** The text in `lang`, when it is a non-blank string. */
export function textIn(text: unknown, lang: string): string | undefined {
  if (typeof text !== 'object' || text === null) return undefined;
  const value = (text as Record<string, unknown>)[lang];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `translations` for every language other than the default one, or undefined when there is none. */
export function buildTranslations(def: MicroCredentialDefinition): Record<string, Record<string, unknown>> | undefined {
  const texts: (LangText | undefined)[] = [def.title, def.description, ...def.learningOutcomes.map((o) => o.text)];
  for (const field of TRANSLATED_FIELDS) texts.push(def[field]);
  const languages = new Set(texts.flatMap((text) => (text ? Object.keys(text) : [])));
  languages.delete(def.defaultLanguage);

  const out: Record<string, Record<string, unknown>> = {};
  for (const lang of [...languages].sort()) {
    const entry: Record<string, unknown> = {};
    const name = textIn(def.title, lang);
    if (name) entry.name = name;
    const description = textIn(def.description, lang);
    if (description) entry.description = description;
    const outcomes = def.learningOutcomes.map((o) => textIn(o.text, lang) ?? null);
    // Positional with the alignments: null where one outcome has no text in this language.
    if (outcomes.some((o) => o !== null)) entry.learningOutcomes = outcomes;
    for (const field of TRANSLATED_FIELDS) {
      const value = textIn(def[field], lang);
      if (value) entry[field] = value;
    }
    if (Object.keys(entry).length > 0) out[lang] = entry;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A LangText from the default-language value plus `translations[lang][key]` of every other language. */
export function gatherLangText(defaultText: string | undefined, lang: string, translations: unknown, key: string): LangText | undefined {
  const out: Record<string, string> = {};
  if (defaultText !== undefined) out[lang] = defaultText;
  if (typeof translations === 'object' && translations !== null && !Array.isArray(translations)) {
    for (const [tag, entry] of Object.entries(translations)) {
      const value = textIn(entry, key);
      if (value && tag !== lang) out[tag] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
