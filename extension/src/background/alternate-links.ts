/**
 * Reads `<link rel="alternate" type="application/vc+jwt|application/vc+ld+json" href>` out of an
 * HTML page in the service worker, which has no DOMParser: a bounded scan of `<link>` tags only
 * (never a full HTML parse, never markup handed to anything that would render it).
 */
const MAX_SCAN_CHARS = 256 * 1024;
const LINK_TAG = /<link\b[^>]{0,2000}>/gi;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
const PREFERRED = ['application/vc+jwt', 'application/vc+ld+json'];

export function credentialAlternates(html: string, pageUrl: string): string[] {
  const found: { type: string; href: string }[] = [];
  for (const tag of html.slice(0, MAX_SCAN_CHARS).matchAll(LINK_TAG)) {
    const attributes = new Map<string, string>();
    for (const match of tag[0].matchAll(ATTRIBUTE)) attributes.set(match[1]!.toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (attributes.get('type') ?? '').toLowerCase().trim();
    const href = attributes.get('href');
    if (!rel.includes('alternate') || !PREFERRED.includes(type) || !href) continue;
    try {
      found.push({ type, href: new URL(href, pageUrl).href });
    } catch {
      // An unparsable href is skipped like any other broken link.
    }
  }
  return found.sort((a, b) => PREFERRED.indexOf(a.type) - PREFERRED.indexOf(b.type)).map((f) => f.href);
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
