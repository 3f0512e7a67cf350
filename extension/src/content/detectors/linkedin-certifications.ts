/**
 * LinkedIn profiles: the "Licenses & certifications" section (on the profile and on its
 * /details/certifications/ page) and each entry's "Show credential" link. LinkedIn ships hashed,
 * changing class names, so everything here keys on meaning: the section heading's text, the link
 * text or accessible name, and the link's URL (LinkedIn's /redir/redirect wrapper is unwrapped).
 */
import type { Candidate, Detector } from '../detector.ts';
import { documentOf, foldText, httpUrl, linkUrl, selectAll, textOf } from '../dom-query.ts';

export const id = 'linkedin-certifications';

/** The section heading in the languages we ship (LinkedIn's own wording, folded). */
const SECTION_HEADING = /^(licen[cs]es? (&|and) certifications|lizenzen (&|und) zertifizierungen|licences (&|et) certifications)$/;
/** The entry's credential link, by visible text or accessible name. */
const SHOW_CREDENTIAL = /^(show credential|see credential|nachweis anzeigen|zertifikat anzeigen|afficher (le |l')?(identifiant|certificat|titre))\b/;

/**
 * Links in the section whose text or aria-label holds a credential word (every SHOW_CREDENTIAL
 * phrase has one), found by the browser's XPath engine natively: script then reads those few
 * links instead of every link of every entry. The words lose their first letter so that case does
 * not matter without translate(), which made the query several times slower.
 */
const CREDENTIAL_WORDS = ['redential', 'achweis', 'ertifikat', 'dentifiant', 'ertificat', 'itre'];
const CREDENTIAL_LINKS = `.//a[@href][${CREDENTIAL_WORDS.map((w) => `contains(., '${w}') or contains(@aria-label, '${w}')`).join(' or ')}]`;
/** Headings worth folding and matching: the section's name in each language has one of these. */
const CERTIFICATION_WORD = /ertifi/i;

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number }): Candidate[] {
  const doc = documentOf(root);
  const out: Candidate[] = [];
  for (const section of certificationSections(root, limits.maxNodes)) {
    for (const link of xpathElements(doc, CREDENTIAL_LINKS, section, limits.maxNodes)) {
      if (out.length >= limits.maxCandidates) return out;
      const label = link.getAttribute('aria-label');
      const text = link.textContent ?? '';
      // The phrase starts the text: its first few hundred characters are enough (foldText trims and collapses).
      if (!(label !== null && SHOW_CREDENTIAL.test(foldText(label))) && !SHOW_CREDENTIAL.test(foldText(text.length > 300 ? text.trimStart().slice(0, 300) : text))) continue;
      const href = linkUrl(link, doc.baseURI);
      const unwrapped = href?.includes('/redir/redirect') ? unwrapRedirect(new URL(href)) : href;
      const url = unwrapped?.includes('trk=') ? withoutTracking(unwrapped) : unwrapped;
      if (!url) continue;
      const name = entryName(outermostEntry(link, section));
      out.push({ detector: id, element: link, anchor: name ?? link, source: { kind: 'url', url }, label: (name ? textOf(name, 120) : '') || url });
    }
  }
  return out;
}

/** Elements an XPath expression selects from `context`, in document order, at most `max`. */
function xpathElements(doc: Document, expression: string, context: Node, max: number): Element[] {
  const result = doc.evaluate(expression, context, null, 7 /* XPathResult.ORDERED_NODE_SNAPSHOT_TYPE */, null);
  const out: Element[] = [];
  for (let i = 0, n = Math.min(result.snapshotLength, max); i < n; i++) out.push(result.snapshotItem(i) as Element);
  return out;
}

/** Sections whose heading reads "Licenses & certifications": the heading's <section>, or a few levels up. */
function certificationSections(root: ParentNode, maxNodes: number): Element[] {
  const sections = new Set<Element>();
  const headings = selectAll(root, 'h1, h2, h3, [role="heading"]', maxNodes);
  // A subtree added inside an existing section (a "show more" page) has no heading of its own.
  const enclosing = (root as Element).closest?.('section');
  if (enclosing) headings.push(...Array.from(enclosing.querySelectorAll('h2, h3, [role="heading"]')).slice(0, 5));
  for (const heading of headings) {
    const line = firstLine(heading);
    if (!CERTIFICATION_WORD.test(line) || !SECTION_HEADING.test(foldText(line))) continue;
    let section: Element | null = heading.closest('section');
    if (!section) {
      section = heading;
      for (let i = 0; i < 4 && section.parentElement && section.parentElement !== documentOf(root).body; i++) section = section.parentElement;
    }
    sections.add(section);
  }
  return [...sections];
}

/** LinkedIn repeats a heading's text for screen readers; the first visible copy is enough. */
function firstLine(heading: Element): string {
  const visible = heading.querySelector('[aria-hidden="true"]');
  return textOf(visible ?? heading, 80);
}

/** LinkedIn's /redir/redirect?url=… wrapper, unwrapped; any other URL as it is. */
function unwrapRedirect(url: URL): string | undefined {
  const host = url.hostname.toLowerCase();
  if ((host === 'linkedin.com' || host.endsWith('.linkedin.com')) && url.pathname.startsWith('/redir/redirect')) {
    return httpUrl(url.searchParams.get('url'), url.href)?.href;
  }
  return url.href;
}

/** The public profile appends LinkedIn's own tracking tag (`?trk=public_profile_see-credential`) to the issuer's URL: not part of it, and not sent on. */
function withoutTracking(href: string): string {
  const url = new URL(href);
  url.searchParams.delete('trk');
  return url.href;
}

/** The entry (list item) the link belongs to; sub-components are nested lists inside it. */
function outermostEntry(link: Element, section: Element): Element {
  let entry: Element = link;
  for (let li = link.closest('li'); li && section.contains(li) && li !== section; li = li.parentElement?.closest('li') ?? null) entry = li;
  return entry;
}

/**
 * The certification's name: the entry's first visible text (the signed-in layout marks visible
 * copies aria-hidden), not a logo link's; on the public profile, the entry's <h3> title.
 */
function entryName(entry: Element): Element | undefined {
  // Usually the very first such span: one query, not a list of every span in the entry.
  const first = entry.querySelector('[aria-hidden="true"]');
  if (first && isName(first)) return first;
  if (first) for (const span of entry.querySelectorAll('[aria-hidden="true"]')) if (isName(span)) return span;
  const title = entry.querySelector('h3');
  return title && /\S/.test(title.textContent ?? '') ? title : undefined;
}

function isName(span: Element): boolean {
  return /\S/.test(span.textContent ?? '') && !span.closest('a[href]')?.querySelector('img');
}

export const detector: Detector = { id, detect };
