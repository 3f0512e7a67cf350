/**
 * Credentials embedded in the page as data blocks: `<script type="application/vc+ld+json">`
 * (a JSON credential) and `<script type="application/vc+jwt">` (a compact VC-JWT). Data blocks are
 * never executed by the browser; we only read their text, capped in size.
 */
import type { Candidate, Detector } from '../detector.ts';
import { documentOf, pageAnchor, selectAll } from '../dom-query.ts';

export const id = 'embedded-vc-script';

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number; maxTextChars: number }): Candidate[] {
  const doc = documentOf(root);
  const out: Candidate[] = [];
  for (const script of selectAll(root, 'script[type="application/vc+ld+json"], script[type="application/vc+jwt"], script[type="application/vc"]', limits.maxNodes)) {
    if (out.length >= limits.maxCandidates) break;
    const text = (script.textContent ?? '').trim();
    if (text === '' || text.length > limits.maxTextChars) continue;
    const anchor = script.closest('head') ? pageAnchor(doc) : (script.previousElementSibling ?? script.parentElement ?? undefined);
    if (!anchor) continue;
    out.push({ detector: id, element: script, anchor, source: { kind: 'inline', text }, label: doc.title.slice(0, 120) || 'Embedded credential' });
  }
  return out;
}

export const detector: Detector = { id, detect };
