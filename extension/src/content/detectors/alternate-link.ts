/**
 * A page that advertises its credential as an alternate representation (the pattern our public
 * credential pages follow): `<link rel="alternate" type="application/vc+jwt">` or
 * `type="application/vc+ld+json"`. One credential per page; the JWT is preferred because its
 * signature covers exactly the bytes served.
 */
import type { Candidate, Detector } from '../detector.ts';
import { documentOf, httpUrl, pageAnchor, selectAll } from '../dom-query.ts';

export const id = 'alternate-link';
const TYPES = ['application/vc+jwt', 'application/vc+ld+json'];

export function detect(root: ParentNode, limits: { maxNodes: number }): Candidate[] {
  const doc = documentOf(root);
  const links = selectAll(root, 'link[rel~="alternate"][type][href]', limits.maxNodes).filter((link) => TYPES.includes((link.getAttribute('type') ?? '').toLowerCase()));
  links.sort((a, b) => TYPES.indexOf(a.getAttribute('type')!.toLowerCase()) - TYPES.indexOf(b.getAttribute('type')!.toLowerCase()));
  for (const link of links) {
    const url = httpUrl(link.getAttribute('href'), doc.baseURI);
    const anchor = pageAnchor(doc);
    if (!url || !anchor) continue;
    return [{ detector: id, element: link, anchor, source: { kind: 'url', url: url.href }, label: (doc.title || url.href).slice(0, 120) }];
  }
  return [];
}

export const detector: Detector = { id, detect };
