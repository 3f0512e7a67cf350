/** Small DOM readers the detectors share: bounded queries that include the root itself, safe URLs, visible text. */

/** Elements matching `selector` in `root`, the root included, at most `max`. */
export function selectAll(root: ParentNode, selector: string, max: number): Element[] {
  const out: Element[] = [];
  if (isElement(root) && root.matches(selector)) out.push(root);
  // Indexed, not for…of: the NodeList iterator costs a result object per element, and this runs on every page.
  const found = root.querySelectorAll(selector);
  for (let i = 0, n = Math.min(found.length, max - out.length); i < n; i++) out.push(found[i]!);
  return out;
}

export function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

/** An absolute http(s) URL from an attribute value, or undefined (javascript:, data:, garbage). */
export function httpUrl(value: string | null | undefined, base: string): URL | undefined {
  if (!value || value.length > 2048) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A link's absolute http(s) URL as the browser already resolved it (`a.href`): no URL object per
 * link, which on a profile with fifty credentials was a fifth of the scan. SVG links (whose href is
 * not a string) go through httpUrl. Undefined for empty, javascript:, data: and over-long links.
 */
export function linkUrl(link: Element, base: string): string | undefined {
  const resolved = (link as HTMLAnchorElement).href;
  if (typeof resolved !== 'string') return httpUrl(link.getAttribute('href'), base)?.href;
  if (resolved.length > 2048 || !link.getAttribute('href')) return undefined;
  return resolved.startsWith('https:') || resolved.startsWith('http:') ? resolved : undefined;
}

/** Collapsed text content, cut to `max` characters (textContent: no layout work). */
export function textOf(element: Element | null | undefined, max = 300): string {
  const text = (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-case, accents removed, typographic variants folded: for matching headings and link text by meaning. */
export function foldText(text: string): string {
  // ASCII needs no Unicode normalisation (NFD is the identity there, and the quote variants are
  // not ASCII): skipping it spares loading ICU's normaliser on most pages.
  if (!NON_ASCII.test(text)) return text.replace(/\s+/g, ' ').trim().toLowerCase();
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Where a badge goes for a credential that belongs to the whole page (head links, head scripts). */
export function pageAnchor(doc: Document): Element | undefined {
  return doc.querySelector('main h1, h1') ?? doc.body ?? undefined;
}

export function documentOf(root: ParentNode): Document {
  return (root as Node).nodeType === 9 ? (root as Document) : ((root as Node).ownerDocument as Document);
}
