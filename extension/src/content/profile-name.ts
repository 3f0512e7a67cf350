/**
 * Whose page is this? The name the learner match compares against: on a LinkedIn-style profile the
 * profile heading (the top card's <h1>), else a schema.org Person's name (microdata or JSON-LD).
 * Undefined when the page does not say: the card then says "no name to compare".
 */
import { foldText, textOf } from './dom-query.ts';

const PROFILE_SECTION = /^(licen[cs]es? (&|and) certifications|lizenzen (&|und) zertifizierungen|licences (&|et) certifications|experience|berufserfahrung)$/;

export function readProfileName(doc: Document): string | undefined {
  const isProfile = /(^|\.)linkedin\.com$/.test(doc.location?.hostname ?? '') || Array.from(doc.querySelectorAll('h2')).some((h) => PROFILE_SECTION.test(foldText(textOf(h.querySelector('[aria-hidden="true"]') ?? h, 80))));
  if (isProfile) {
    const heading = textOf(doc.querySelector('main h1') ?? doc.querySelector('h1'), 120);
    if (heading) return heading;
  }
  const microdata = doc.querySelector('[itemtype$="schema.org/Person"] [itemprop="name"]');
  if (microdata) return textOf(microdata, 120) || undefined;
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]')).slice(0, 10)) {
    const text = script.textContent ?? '';
    if (text.length > 64 * 1024 || !text.includes('Person')) continue;
    try {
      const value = JSON.parse(text) as { '@type'?: unknown; name?: unknown };
      if (value['@type'] === 'Person' && typeof value.name === 'string') return value.name.slice(0, 120);
    } catch {
      // Broken JSON-LD is the page's problem, not a name.
    }
  }
  return undefined;
}
